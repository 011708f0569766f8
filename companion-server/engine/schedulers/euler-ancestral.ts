/**
 * Euler ancestral: an Euler step down to sigma_down followed by fresh noise of std sigma_up, so the
 * sample lands at sigma_next (k-diffusion's sample_euler_ancestral, Karras et al. 2022). A port of the
 * math of diffusers' src/diffusers/schedulers/scheduling_euler_ancestral_discrete.py.
 */
import type { Tensor } from '../tensor';
import type { ConfigSpec } from './config';
import { noiseScheduleSpec } from './noise-schedule';
import { splitModelOutput } from './prediction';
import type { StepOptions, StepOutput } from './scheduler';
import type { SigmaScheduleConfig } from './sigma-scheduler';
import { SIGMA_SCHEDULE_CONFIG, SigmaScheduler } from './sigma-scheduler';
import { combine } from './tensor-math';

export type EulerAncestralConfig = SigmaScheduleConfig;

export const EULER_ANCESTRAL_CONFIG: ConfigSpec<EulerAncestralConfig> = {
  ...noiseScheduleSpec({ beta_start: 0.0001, beta_end: 0.02, beta_schedule: 'linear' }),
  ...SIGMA_SCHEDULE_CONFIG,
};

export class EulerAncestralScheduler extends SigmaScheduler<EulerAncestralConfig> {
  readonly kind = 'euler-ancestral';
  readonly isStochastic = true;

  constructor(config: EulerAncestralConfig) {
    super(config, { karras: null, finalSigma: 'zero' });
  }

  step(modelOutput: Tensor, stepIndex: number, sample: Tensor, options?: StepOptions): StepOutput {
    this.checkStepIndex(stepIndex);
    const noise = this.requireNoise(options, sample, stepIndex);
    // 1. sigma_from, sigma_to, and the split of sigma_to into a deterministic and a fresh-noise part:
    //    sigma_up^2 = sigma_to^2 (sigma_from^2 - sigma_to^2) / sigma_from^2, sigma_down^2 = sigma_to^2 - sigma_up^2
    const sigmaFrom = this.sigmas[stepIndex];
    const sigmaTo = this.sigmas[stepIndex + 1];
    const sigmaUp = Math.sqrt((sigmaTo ** 2 * (sigmaFrom ** 2 - sigmaTo ** 2)) / sigmaFrom ** 2);
    const sigmaDown = Math.sqrt(sigmaTo ** 2 - sigmaUp ** 2);
    // 2. predicted x_0 from the model output
    const { predOriginalSample } = splitModelOutput(this.config.prediction_type, modelOutput, sample, this.noiseLevel(stepIndex));
    // 3. derivative d = (x - x_0) / sigma, Euler step to sigma_down, 4. add noise of std sigma_up
    const dt = sigmaDown - sigmaFrom;
    const prevSample = combine([1 + dt / sigmaFrom, sample], [-dt / sigmaFrom, predOriginalSample], [sigmaUp, noise]);
    return { prevSample, predOriginalSample };
  }
}
