/**
 * The one interface every scheduler implements. Semantics and config keys follow diffusers'
 * schedulers (src/diffusers/schedulers/scheduling_*.py); the config is scheduler_config.json read as-is.
 *
 * Unlike diffusers, steps are addressed by index into `timesteps` (not by timestep value), so the
 * brush can resume a trajectory at any step, and stochastic schedulers take their noise from the
 * caller, so a seeded trajectory can be regenerated exactly.
 */
import type { Tensor } from '../tensor';

export const SCHEDULER_KINDS = ['ddim', 'euler', 'euler-ancestral', 'dpm++2m', 'lcm'] as const;
export type SchedulerKind = (typeof SCHEDULER_KINDS)[number];

export type PredictionType = 'epsilon' | 'v_prediction' | 'sample';
export type TimestepSpacing = 'leading' | 'trailing' | 'linspace';
export type BetaSchedule = 'linear' | 'scaled_linear' | 'squaredcos_cap_v2';

/** scheduler_config.json keys, as diffusers names them. Missing keys take diffusers' defaults. */
export interface SchedulerConfig {
  num_train_timesteps?: number;
  beta_start?: number;
  beta_end?: number;
  beta_schedule?: BetaSchedule;
  trained_betas?: number[] | null;
  prediction_type?: PredictionType;
  timestep_spacing?: TimestepSpacing;
  steps_offset?: number;
  clip_sample?: boolean;
  clip_sample_range?: number;
  set_alpha_to_one?: boolean;
  use_karras_sigmas?: boolean;
  [key: string]: unknown;
}

/**
 * How much of the clean sample and of the noise a scheduler's sample holds at one step:
 * sample = signalScale * x_0 + noiseScale * eps, with eps ~ N(0, I).
 *
 * Variance-preserving schedulers (DDIM, DPM++ 2M, LCM) have signalScale = sqrt(alphaCumprod) and
 * noiseScale = sqrt(1 - alphaCumprod); Euler-type ones keep x_0 unscaled (signalScale = 1,
 * noiseScale = sigma). Either way alphaCumprod = signal^2 / (signal^2 + noise^2) and
 * sigma = noiseScale / signalScale.
 */
export interface NoiseLevel {
  readonly signalScale: number;
  readonly noiseScale: number;
}

/**
 * The standard deviation of a sample at this level when x_0 has unit variance: 1 for variance-preserving
 * schedulers, sqrt(1 + sigma^2) for Euler-type ones. Dividing by it puts any scheduler's samples on one scale.
 */
export function sampleScale(level: NoiseLevel): number {
  return Math.hypot(level.signalScale, level.noiseScale);
}

export interface StepOptions {
  /** N(0, I) noise of the sample's shape; required by stochastic steps (DDIM eta > 0, Euler ancestral, LCM). */
  noise?: Tensor;
}

export interface StepOutput {
  /** x_{t-1}: the sample after this step. */
  prevSample: Tensor;
  /** The model's estimate of the clean sample x_0 (used for previews). */
  predOriginalSample: Tensor;
}

export interface Scheduler {
  readonly kind: SchedulerKind;
  /** The resolved config: defaults filled in. */
  readonly config: Readonly<Required<Pick<SchedulerConfig, 'num_train_timesteps' | 'prediction_type'>>> & SchedulerConfig;
  /** 1 for single-step schedulers, 2 for DPM++ 2M. */
  readonly order: number;
  /** The timesteps of the current schedule, first (noisiest) first. Empty before setTimesteps. */
  readonly timesteps: readonly number[];
  /** Standard deviation of the initial noise (1 for DDIM, sigma_max for Euler-type schedulers). */
  readonly initNoiseSigma: number;
  /** Whether step() needs StepOptions.noise. */
  readonly isStochastic: boolean;

  setTimesteps(numInferenceSteps: number): void;
  /** Scales the denoising model's input at step `stepIndex` (identity for DDIM). */
  scaleModelInput(sample: Tensor, stepIndex: number): Tensor;
  /**
   * One reverse step from step `stepIndex` to `stepIndex + 1`. Multistep schedulers keep the model
   * outputs of earlier steps; when the previous step's output is missing (a fresh start at any index,
   * or after reset()) they take a first-order step.
   */
  step(modelOutput: Tensor, stepIndex: number, sample: Tensor, options?: StepOptions): StepOutput;
  /** Forward-noises a clean sample to the noise level of step `stepIndex` (before that step runs). */
  addNoise(originalSample: Tensor, noise: Tensor, stepIndex: number): Tensor;
  /**
   * The noise level of the sample that step `stepIndex` takes as input; `stepIndex` may equal
   * timesteps.length, the level the last step lands on (0 noise for most configs).
   */
  noiseLevel(stepIndex: number): NoiseLevel;
  /** Clears multistep history. */
  reset(): void;
  /**
   * Restores the history a multistep scheduler had on reaching step `stepIndex`: the x0 it predicted at
   * step stepIndex - 1. A run resumed there (the brush) then retraces the original steps exactly instead
   * of starting with a first-order step. Single-step schedulers keep no history and ignore it.
   */
  resume(stepIndex: number, previousPredOriginalSample: Tensor): void;
}
