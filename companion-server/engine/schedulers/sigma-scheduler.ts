/**
 * The common ground of the Euler schedulers (diffusers' scheduling_euler_discrete.py and
 * scheduling_euler_ancestral_discrete.py): samples live in the variance-exploding parametrisation
 * x = x_0 + sigma * eps, the model sees x / sqrt(sigma^2 + 1), and a schedule is a list of sigmas.
 */
import type { Tensor } from '../tensor';
import { SchedulerBase } from './base';
import type { ConfigSpec } from './config';
import { number, oneOf } from './config';
import type { NoiseScheduleConfig } from './noise-schedule';
import { alphasCumprodFor } from './noise-schedule';
import { PREDICTION_TYPES } from './prediction';
import type { NoiseLevel, PredictionType, TimestepSpacing } from './scheduler';
import { karrasSigmas, logSigmas, sigmaToTimestep, trainingSigmas } from './sigmas';
import { TIMESTEP_SPACINGS, checkStepCount, interpolate, spacedTimesteps } from './spacing';
import { combine } from './tensor-math';

export type SigmaScheduleConfig = NoiseScheduleConfig & {
  prediction_type: PredictionType;
  timestep_spacing: TimestepSpacing;
  steps_offset: number;
};

export const SIGMA_SCHEDULE_CONFIG = {
  prediction_type: oneOf(PREDICTION_TYPES, 'epsilon'),
  timestep_spacing: oneOf(TIMESTEP_SPACINGS, 'linspace'),
  steps_offset: number(0, { integer: true, min: 0 }),
} satisfies Partial<ConfigSpec<SigmaScheduleConfig>>;

/** How the sigmas of a schedule are chosen beyond the timestep spacing. */
export interface SigmaShape {
  /** Karras et al. (2022) sigmas between sigmaMin and sigmaMax (null: the schedule's own ends). */
  karras: { sigmaMin: number | null; sigmaMax: number | null } | null;
  /** The sigma after the last step: 0 (a clean sample) or the smallest training sigma. */
  finalSigma: 'zero' | 'sigma_min';
}

const f32 = Math.fround;

export abstract class SigmaScheduler<C extends SigmaScheduleConfig> extends SchedulerBase<C> {
  /** sigma at the start of each step, then the final sigma: timesteps.length + 1 values. */
  protected sigmas: readonly number[] = [];
  private readonly trainSigmas: Float32Array;

  constructor(config: C, private readonly shape: SigmaShape) {
    super(config);
    this.trainSigmas = trainingSigmas(alphasCumprodFor(config, { finiteTerminalSigma: true }));
  }

  /**
   * The std of pure noise for the first step: sigma_max, or diffusers' sqrt(sigma_max^2 + 1) for
   * `leading` spacing. It depends on the schedule, so it needs setTimesteps first.
   */
  get initNoiseSigma(): number {
    if (this.sigmas.length === 0) {
      throw new Error(`The ${this.kind} scheduler's initNoiseSigma depends on the schedule: call setTimesteps(numInferenceSteps) first.`);
    }
    const maxSigma = Math.max(...this.sigmas);
    return this.config.timestep_spacing === 'leading' ? Math.sqrt(maxSigma * maxSigma + 1) : maxSigma;
  }

  setTimesteps(numInferenceSteps: number): void {
    const { num_train_timesteps, timestep_spacing, steps_offset } = this.config;
    checkStepCount(numInferenceSteps, num_train_timesteps);
    // 1. timesteps by spacing, as float32 (the Euler schedulers keep linspace's fractions)
    let timesteps = spacedTimesteps(timestep_spacing, num_train_timesteps, numInferenceSteps, steps_offset).map(f32);
    // 2. sigmas at those timesteps, interpolated linearly between training timesteps
    let sigmas = timesteps.map((t) => interpolate(t, this.trainSigmas));
    // 3. optionally Karras sigmas, with timesteps mapped back from them
    const { karras } = this.shape;
    if (karras) {
      sigmas = karrasSigmas(karras.sigmaMin ?? sigmas[sigmas.length - 1], karras.sigmaMax ?? sigmas[0], numInferenceSteps);
      const logTrainSigmas = logSigmas(this.trainSigmas);
      timesteps = sigmas.map((sigma) => f32(sigmaToTimestep(sigma, logTrainSigmas)));
    }
    // 4. the final sigma
    sigmas.push(this.shape.finalSigma === 'zero' ? 0 : this.trainSigmas[0]);
    this.sigmas = sigmas.map(f32);
    this.schedule = timesteps;
  }

  /** The model was trained on unit-variance inputs: x / sqrt(sigma^2 + 1) (Karras et al. 2022, c_in). */
  override scaleModelInput(sample: Tensor, stepIndex: number): Tensor {
    this.checkStepIndex(stepIndex);
    const sigma = this.sigmas[stepIndex];
    return combine([1 / Math.sqrt(sigma * sigma + 1), sample]);
  }

  protected levelAt(stepIndex: number): NoiseLevel {
    return { signalScale: 1, noiseScale: this.sigmas[stepIndex] };
  }
}
