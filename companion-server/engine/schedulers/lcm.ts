/**
 * LCM: multistep sampling of a Latent Consistency Model (Luo et al., "Latent Consistency Models", 2023,
 * Algorithm 3): each step maps the sample to the consistency function's clean estimate, then re-noises
 * it to the next timestep. A port of the math of diffusers' src/diffusers/schedulers/scheduling_lcm.py.
 */
import type { Tensor } from '../tensor';
import { SchedulerBase } from './base';
import type { ConfigSpec } from './config';
import { boolean, number, oneOf } from './config';
import type { NoiseScheduleConfig } from './noise-schedule';
import { alphaCumprodLevel, alphasCumprodFor, noiseScheduleSpec } from './noise-schedule';
import { PREDICTION_TYPES, clipPrediction, splitModelOutput } from './prediction';
import type { NoiseLevel, PredictionType, StepOptions, StepOutput, TimestepSpacing } from './scheduler';
import { TIMESTEP_SPACINGS, checkStepCount, linspace } from './spacing';
import { combine } from './tensor-math';

export type LcmConfig = NoiseScheduleConfig & {
  prediction_type: PredictionType;
  original_inference_steps: number;
  clip_sample: boolean;
  clip_sample_range: number;
  set_alpha_to_one: boolean;
  steps_offset: number;
  timestep_spacing: TimestepSpacing;
  timestep_scaling: number;
  thresholding: boolean;
};

export const LCM_CONFIG: ConfigSpec<LcmConfig> = {
  ...noiseScheduleSpec({ beta_start: 0.00085, beta_end: 0.012, beta_schedule: 'scaled_linear' }),
  prediction_type: oneOf(PREDICTION_TYPES, 'epsilon'),
  original_inference_steps: number(50, { integer: true, min: 1 }),
  clip_sample: boolean(false),
  clip_sample_range: number(1, { above: 0 }),
  // Accepted for diffusers compatibility; LCM never steps below timestep 0, so it has no effect.
  set_alpha_to_one: boolean(true),
  // Accepted for diffusers compatibility; LCM's schedule comes from original_inference_steps instead.
  steps_offset: number(0, { integer: true, min: 0 }),
  timestep_spacing: oneOf(TIMESTEP_SPACINGS, 'leading'),
  timestep_scaling: number(10, { above: 0 }),
  thresholding: oneOf([false], false),
};

/** sigma_data of the consistency-model boundary condition (Song et al., "Consistency Models", 2023). */
const SIGMA_DATA = 0.5;

export class LcmScheduler extends SchedulerBase<LcmConfig> {
  readonly kind = 'lcm';
  readonly isStochastic = true;
  readonly initNoiseSigma = 1;
  private readonly alphasCumprod: Float32Array;

  constructor(config: LcmConfig) {
    super(config);
    this.alphasCumprod = alphasCumprodFor(config);
  }

  /**
   * n timesteps taken evenly from the distillation schedule: the `original_inference_steps` timesteps
   * k - 1, 2k - 1, ..., T - 1 with k = T / original_inference_steps.
   */
  setTimesteps(numInferenceSteps: number): void {
    const { num_train_timesteps, original_inference_steps } = this.config;
    if (original_inference_steps > num_train_timesteps) {
      throw new Error(
        `LCM original_inference_steps (${original_inference_steps}) exceeds num_train_timesteps (${num_train_timesteps}); fix scheduler_config.json.`,
      );
    }
    checkStepCount(numInferenceSteps, original_inference_steps, 'original_inference_steps');
    const k = Math.floor(num_train_timesteps / original_inference_steps);
    const origin = Array.from({ length: original_inference_steps }, (_, i) => (original_inference_steps - i) * k - 1);
    this.schedule = linspace(0, origin.length, numInferenceSteps, false).map((index) => origin[Math.floor(index)]);
  }

  step(modelOutput: Tensor, stepIndex: number, sample: Tensor, options?: StepOptions): StepOutput {
    this.checkStepIndex(stepIndex);
    const timestep = this.schedule[stepIndex];
    // 1. boundary-condition scalings c_skip(t), c_out(t) on the scaled timestep
    const scaled = timestep * this.config.timestep_scaling;
    const cSkip = SIGMA_DATA ** 2 / (scaled ** 2 + SIGMA_DATA ** 2);
    const cOut = scaled / Math.sqrt(scaled ** 2 + SIGMA_DATA ** 2);
    // 2. predicted x_0 from the model output, clipped per clip_sample
    const prediction = splitModelOutput(this.config.prediction_type, modelOutput, sample, this.levelAt(stepIndex));
    const { predOriginalSample } = clipPrediction(prediction, this.config.clip_sample, this.config.clip_sample_range);
    // 3. the consistency function's output: c_out * x_0 + c_skip * x, final after the last step
    const denoised = combine([cOut, predOriginalSample], [cSkip, sample]);
    if (stepIndex === this.schedule.length - 1) return { prevSample: denoised, predOriginalSample: denoised };
    // 4. re-noise the estimate to the next timestep's alpha-bar (multistep consistency sampling)
    const alphaProdTPrev = this.alphasCumprod[this.schedule[stepIndex + 1]];
    const noise = this.requireNoise(options, sample, stepIndex);
    const prevSample = combine([Math.sqrt(alphaProdTPrev), denoised], [Math.sqrt(1 - alphaProdTPrev), noise]);
    return { prevSample, predOriginalSample: denoised };
  }

  /** After the last step the sample is the clean estimate itself. */
  protected levelAt(stepIndex: number): NoiseLevel {
    return stepIndex < this.schedule.length ? alphaCumprodLevel(this.alphasCumprod[this.schedule[stepIndex]]) : { signalScale: 1, noiseScale: 0 };
  }
}
