/**
 * Euler: the first-order solver of the probability-flow ODE, Algorithm 2 of Karras et al.,
 * "Elucidating the Design Space of Diffusion-Based Generative Models" (2022), without churn.
 * A port of the math of diffusers' src/diffusers/schedulers/scheduling_euler_discrete.py.
 */
import type { Tensor } from '../tensor';
import type { ConfigSpec } from './config';
import { boolean, oneOf, optionalNumber } from './config';
import { noiseScheduleSpec } from './noise-schedule';
import { splitModelOutput } from './prediction';
import type { StepOutput } from './scheduler';
import type { SigmaScheduleConfig } from './sigma-scheduler';
import { SIGMA_SCHEDULE_CONFIG, SigmaScheduler } from './sigma-scheduler';
import { combine } from './tensor-math';

export type EulerConfig = SigmaScheduleConfig & {
  interpolation_type: 'linear';
  use_karras_sigmas: boolean;
  use_exponential_sigmas: boolean;
  use_beta_sigmas: boolean;
  sigma_min: number | null;
  sigma_max: number | null;
  timestep_type: 'discrete';
  final_sigmas_type: 'zero' | 'sigma_min';
};

export const EULER_CONFIG: ConfigSpec<EulerConfig> = {
  ...noiseScheduleSpec({ beta_start: 0.0001, beta_end: 0.02, beta_schedule: 'linear' }),
  ...SIGMA_SCHEDULE_CONFIG,
  interpolation_type: oneOf(['linear'] as const, 'linear'),
  use_karras_sigmas: boolean(false),
  use_exponential_sigmas: oneOf([false], false),
  use_beta_sigmas: oneOf([false], false),
  sigma_min: optionalNumber({ above: 0 }),
  sigma_max: optionalNumber({ above: 0 }),
  timestep_type: oneOf(['discrete'] as const, 'discrete'),
  final_sigmas_type: oneOf(['zero', 'sigma_min'] as const, 'zero'),
};

export class EulerScheduler extends SigmaScheduler<EulerConfig> {
  readonly kind = 'euler';
  readonly isStochastic = false;

  constructor(config: EulerConfig) {
    super(config, {
      karras: config.use_karras_sigmas ? { sigmaMin: config.sigma_min, sigmaMax: config.sigma_max } : null,
      finalSigma: config.final_sigmas_type,
    });
  }

  step(modelOutput: Tensor, stepIndex: number, sample: Tensor): StepOutput {
    this.checkStepIndex(stepIndex);
    // 1. sigma of this step and of the next (no churn: sigma_hat = sigma)
    const sigma = this.sigmas[stepIndex];
    const sigmaNext = this.sigmas[stepIndex + 1];
    // 2. predicted x_0 from the model output
    const { predOriginalSample } = splitModelOutput(this.config.prediction_type, modelOutput, sample, this.noiseLevel(stepIndex));
    // 3. ODE derivative d = (x - x_0) / sigma; 4. Euler step x_next = x + d * (sigma_next - sigma)
    const dt = sigmaNext - sigma;
    const prevSample = combine([1 + dt / sigma, sample], [-dt / sigma, predOriginalSample]);
    return { prevSample, predOriginalSample };
  }
}
