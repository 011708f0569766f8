/**
 * The training noise schedule every scheduler starts from: betas from `beta_schedule` (or
 * `trained_betas`) and their cumulative product alpha-bar_t = prod_{s<=t} (1 - beta_s) (DDPM, Ho et al.
 * 2020, eq. 4). Ported from the constructors of diffusers' scheduling_*.py.
 *
 * The tables are rounded to float32 where diffusers' torch code rounds them (betas and alphas are
 * float32 tensors; torch.cumprod accumulates in double and stores float32), so our alpha-bar and sigma
 * tables follow diffusers' to its float32 rounding rather than to exact arithmetic. That matters:
 * 1000 roundings of (1 - beta) add up to a relative error of ~1e-6 in alpha-bar, which shows in
 * diffusers' own reference sums (the Euler add_noise loop misses its 1e-2 tolerance in pure float64).
 */
import type { ConfigSpec } from './config';
import { boolean, number, numberList, oneOf } from './config';
import type { BetaSchedule, NoiseLevel } from './scheduler';

export const BETA_SCHEDULES: readonly BetaSchedule[] = ['linear', 'scaled_linear', 'squaredcos_cap_v2'];

/** The config keys that define the training noise schedule, shared by all our schedulers. */
export type NoiseScheduleConfig = {
  num_train_timesteps: number;
  beta_start: number;
  beta_end: number;
  beta_schedule: BetaSchedule;
  trained_betas: number[] | null;
  rescale_betas_zero_snr: boolean;
};

/** diffusers' defaults differ per scheduler (LCM defaults to SD's scaled_linear schedule). */
export function noiseScheduleSpec(defaults: Pick<NoiseScheduleConfig, 'beta_start' | 'beta_end' | 'beta_schedule'>): ConfigSpec<NoiseScheduleConfig> {
  return {
    num_train_timesteps: number(1000, { integer: true, min: 2 }),
    beta_start: number(defaults.beta_start, { above: 0 }),
    beta_end: number(defaults.beta_end, { above: 0 }),
    beta_schedule: oneOf(BETA_SCHEDULES, defaults.beta_schedule),
    trained_betas: numberList,
    rescale_betas_zero_snr: boolean(false),
  };
}

const f32 = Math.fround;

/**
 * torch.linspace in float32 as ATen computes it: the first half counts up from `start`, the second
 * half down from `end`, each value start + step * i (or end - step * (n - 1 - i)) rounded to float32.
 */
function linspaceFloat32(start: number, end: number, count: number): Float32Array {
  const from = f32(start);
  const to = f32(end);
  const step = f32(f32(to - from) / (count - 1));
  const halfway = Math.floor(count / 2);
  return Float32Array.from({ length: count }, (_, i) => (i < halfway ? f32(from + f32(step * i)) : f32(to - f32(step * (count - 1 - i)))));
}

/**
 * The cosine schedule of Nichol & Dhariwal (2021), eq. 17, discretised as betas and capped at 0.999
 * (diffusers' betas_for_alpha_bar with alpha_transform_type "cosine").
 */
function cosineBetas(count: number, maxBeta = 0.999): Float32Array {
  const alphaBar = (t: number) => Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
  return Float32Array.from({ length: count }, (_, i) => Math.min(1 - alphaBar((i + 1) / count) / alphaBar(i / count), maxBeta));
}

export function betasFor(config: NoiseScheduleConfig): Float32Array {
  const count = config.num_train_timesteps;
  if (config.trained_betas) {
    if (config.trained_betas.length !== count) {
      throw new Error(
        `Scheduler config has ${config.trained_betas.length} trained_betas but num_train_timesteps is ${count}; ` +
          'they must agree in scheduler_config.json.',
      );
    }
    return Float32Array.from(config.trained_betas);
  }
  switch (config.beta_schedule) {
    case 'linear':
      return linspaceFloat32(config.beta_start, config.beta_end, count);
    case 'scaled_linear':
      // Linear in sqrt(beta), as Stable Diffusion was trained.
      return linspaceFloat32(Math.sqrt(config.beta_start), Math.sqrt(config.beta_end), count).map((root) => f32(root * root));
    case 'squaredcos_cap_v2':
      return cosineBetas(count);
  }
}

/** prod_{s<=t} (1 - beta_s): torch.cumprod's double accumulator, stored as float32. */
function cumulativeAlphas(betas: Float32Array): Float32Array {
  const alphasCumprod = new Float32Array(betas.length);
  let product = 1;
  for (let t = 0; t < betas.length; t++) {
    product *= f32(1 - betas[t]);
    alphasCumprod[t] = product;
  }
  return alphasCumprod;
}

/**
 * Lin et al., "Common Diffusion Noise Schedules and Sample Steps are Flawed" (2024), Algorithm 1:
 * shift and scale sqrt(alpha-bar) so the last timestep has zero SNR (pure noise) while the first
 * keeps its value, then recover the betas (diffusers' rescale_zero_terminal_snr, in float32).
 */
function rescaleZeroTerminalSnr(betas: Float32Array): Float32Array {
  const roots = cumulativeAlphas(betas).map(Math.sqrt);
  const first = roots[0];
  const last = roots[roots.length - 1];
  const scale = f32(first / f32(first - last));
  const alphaBars = roots.map((root) => {
    const rescaled = f32(f32(root - last) * scale);
    return f32(rescaled * rescaled);
  });
  return alphaBars.map((alphaBar, t) => f32(1 - (t === 0 ? alphaBar : f32(alphaBar / alphaBars[t - 1]))));
}

/**
 * alpha-bar_t for t = 0 .. num_train_timesteps - 1. With zero terminal SNR the last alpha-bar is 0,
 * an infinite sigma; schedulers that work in sigmas ask for `finiteTerminalSigma` and get diffusers'
 * 2^-24 there instead (sigma_T about 4096).
 */
export function alphasCumprodFor(config: NoiseScheduleConfig, options: { finiteTerminalSigma?: boolean } = {}): Float32Array {
  const betas = betasFor(config);
  const alphasCumprod = cumulativeAlphas(config.rescale_betas_zero_snr ? rescaleZeroTerminalSnr(betas) : betas);
  if (config.rescale_betas_zero_snr && options.finiteTerminalSigma) alphasCumprod[alphasCumprod.length - 1] = 2 ** -24;
  return alphasCumprod;
}

/** The variance-preserving noise level of alpha-bar: x = sqrt(alpha-bar) x_0 + sqrt(1 - alpha-bar) eps. */
export function alphaCumprodLevel(alphaBar: number): NoiseLevel {
  return { signalScale: Math.sqrt(alphaBar), noiseScale: Math.sqrt(1 - alphaBar) };
}
