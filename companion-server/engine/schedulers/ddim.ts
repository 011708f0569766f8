/**
 * DDIM: Song, Meng & Ermon, "Denoising Diffusion Implicit Models" (2021). A port of the math of
 * diffusers' src/diffusers/schedulers/scheduling_ddim.py (step) and scheduling_ddim_inverse.py
 * (invertStep), addressed by step index.
 */
import type { Tensor } from '../tensor';
import { SchedulerBase } from './base';
import type { ConfigSpec } from './config';
import { boolean, number, oneOf } from './config';
import type { NoiseScheduleConfig } from './noise-schedule';
import { alphaCumprodLevel, alphasCumprodFor, noiseScheduleSpec } from './noise-schedule';
import type { Prediction } from './prediction';
import { PREDICTION_TYPES, clipPrediction, splitModelOutput } from './prediction';
import type { NoiseLevel, PredictionType, StepOptions, StepOutput, TimestepSpacing } from './scheduler';
import { TIMESTEP_SPACINGS, checkStepCount, roundHalfEven, spacedTimesteps } from './spacing';
import { combine } from './tensor-math';

export type DdimConfig = NoiseScheduleConfig & {
  prediction_type: PredictionType;
  timestep_spacing: TimestepSpacing;
  steps_offset: number;
  clip_sample: boolean;
  clip_sample_range: number;
  set_alpha_to_one: boolean;
  thresholding: boolean;
};

export const DDIM_CONFIG: ConfigSpec<DdimConfig> = {
  ...noiseScheduleSpec({ beta_start: 0.0001, beta_end: 0.02, beta_schedule: 'linear' }),
  prediction_type: oneOf(PREDICTION_TYPES, 'epsilon'),
  timestep_spacing: oneOf(TIMESTEP_SPACINGS, 'leading'),
  steps_offset: number(0, { integer: true, min: 0 }),
  clip_sample: boolean(true),
  clip_sample_range: number(1, { above: 0 }),
  set_alpha_to_one: boolean(true),
  // Dynamic thresholding (Imagen) is meant for pixel-space models, not latent diffusion.
  thresholding: oneOf([false], false),
};

export class DdimScheduler extends SchedulerBase<DdimConfig> {
  readonly kind = 'ddim';
  readonly initNoiseSigma = 1;
  readonly isStochastic: boolean;
  private readonly alphasCumprod: Float32Array;
  /** alpha-bar after the last step: 1 (a clean sample) or alpha-bar_0, per set_alpha_to_one. */
  private readonly finalAlphaCumprod: number;

  /** `eta` weighs the noise of each step: 0 is deterministic DDIM, 1 is DDPM-like sampling. */
  constructor(config: DdimConfig, readonly eta = 0) {
    super(config);
    if (!(eta >= 0)) throw new RangeError(`DDIM eta must be >= 0 (0: deterministic, 1: DDPM-like); got ${eta}.`);
    this.isStochastic = eta > 0;
    this.alphasCumprod = alphasCumprodFor(config);
    this.finalAlphaCumprod = config.set_alpha_to_one ? 1 : this.alphasCumprod[0];
  }

  setTimesteps(numInferenceSteps: number): void {
    const { num_train_timesteps, timestep_spacing, steps_offset } = this.config;
    checkStepCount(numInferenceSteps, num_train_timesteps);
    const timesteps = spacedTimesteps(timestep_spacing, num_train_timesteps, numInferenceSteps, steps_offset);
    this.schedule = timestep_spacing === 'linspace' ? timesteps.map(roundHalfEven) : timesteps;
  }

  step(modelOutput: Tensor, stepIndex: number, sample: Tensor, options?: StepOptions): StepOutput {
    this.checkStepIndex(stepIndex);
    // 1. previous timestep (t - T / n, as diffusers computes it for every timestep_spacing)
    // 2. alphas and betas: alpha-bar_t, alpha-bar_{t-1}, beta-bar_t = 1 - alpha-bar_t
    const alphaProdT = this.alphasCumprod[this.schedule[stepIndex]];
    const alphaProdTPrev = this.alphaCumprodAfter(stepIndex);
    const betaProdT = 1 - alphaProdT;
    const betaProdTPrev = 1 - alphaProdTPrev;

    // 3. predicted x_0 (eq. 12, "predicted x_0") and eps from the model output; 4. clip x_0
    const { predOriginalSample, predEpsilon } = this.predict(modelOutput, sample, alphaProdT);

    // 5. sigma_t(eta) from eq. 16: eta * sqrt((1 - a_{t-1}) / (1 - a_t)) * sqrt(1 - a_t / a_{t-1})
    const variance = (betaProdTPrev / betaProdT) * (1 - alphaProdT / alphaProdTPrev);
    const stdDevT = this.eta * Math.sqrt(variance);

    // 6. "direction pointing to x_t" (eq. 12), then x_{t-1} = sqrt(a_{t-1}) x_0 + direction + sigma_t z
    const direction = Math.sqrt(1 - alphaProdTPrev - stdDevT * stdDevT);
    const terms: [number, Tensor][] = [
      [Math.sqrt(alphaProdTPrev), predOriginalSample],
      [direction, predEpsilon],
    ];
    if (this.eta > 0) terms.push([stdDevT, this.requireNoise(options, sample, stepIndex)]);
    return { prevSample: combine(...terms), predOriginalSample };
  }

  /**
   * DDIM inversion, the deterministic (eta = 0) step run backwards: takes `sample` at the noise level
   * step `stepIndex` lands on (noiseLevel(stepIndex + 1)) and returns it at the level step `stepIndex`
   * starts from (noiseLevel(stepIndex)), i.e. x_t -> x_{t+1} in the paper's direction of noising.
   * `modelOutput` is the model evaluated on `sample` at timestep timesteps[stepIndex]: diffusers'
   * DDIMInverseScheduler convention (the exact eps at the lower noise level is unknown, so the next
   * timestep's is used). Running invertStep for stepIndex = N-1 down to n turns an encoded image into
   * an approximate trajectory Z_N .. Z_n that step() retraces.
   */
  invertStep(modelOutput: Tensor, stepIndex: number, sample: Tensor): Tensor {
    this.checkStepIndex(stepIndex);
    // 1. alphas: the current (less noisy) level and the target level timesteps[stepIndex]
    const alphaProdCurrent = this.alphaCumprodAfter(stepIndex);
    const alphaProdTarget = this.alphasCumprod[this.schedule[stepIndex]];
    // 2. predicted x_0 and eps at the current level, x_0 clipped as in the forward step
    const { predOriginalSample, predEpsilon } = this.predict(modelOutput, sample, alphaProdCurrent);
    // 3. x_{t+1} = sqrt(a_{t+1}) x_0 + sqrt(1 - a_{t+1}) eps
    return combine([Math.sqrt(alphaProdTarget), predOriginalSample], [Math.sqrt(1 - alphaProdTarget), predEpsilon]);
  }

  /** x_0 (clipped per clip_sample) and eps at noise level alpha-bar. */
  private predict(modelOutput: Tensor, sample: Tensor, alphaBar: number): Prediction {
    const prediction = splitModelOutput(this.config.prediction_type, modelOutput, sample, alphaCumprodLevel(alphaBar));
    return clipPrediction(prediction, this.config.clip_sample, this.config.clip_sample_range);
  }

  protected levelAt(stepIndex: number): NoiseLevel {
    const alphaBar = stepIndex < this.schedule.length ? this.alphasCumprod[this.schedule[stepIndex]] : this.alphaCumprodAfter(stepIndex - 1);
    return alphaCumprodLevel(alphaBar);
  }

  /** alpha-bar of the timestep step `stepIndex` lands on: t - floor(T / n), or the final alpha-bar below 0. */
  private alphaCumprodAfter(stepIndex: number): number {
    const prevTimestep = this.schedule[stepIndex] - Math.floor(this.config.num_train_timesteps / this.schedule.length);
    return prevTimestep >= 0 ? this.alphasCumprod[prevTimestep] : this.finalAlphaCumprod;
  }
}
