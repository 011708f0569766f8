/**
 * DPM-Solver++(2M): Lu et al., "DPM-Solver++: Fast Solver for Guided Sampling of Diffusion Probabilistic
 * Models" (2022), Algorithm 2, the multistep second-order solver on the data prediction x_0, in
 * lambda = log(alpha_t / sigma_t). A port of the math of diffusers'
 * src/diffusers/schedulers/scheduling_dpmsolver_multistep.py for algorithm_type "dpmsolver++",
 * solver_order 1 or 2.
 */
import type { Tensor } from '../tensor';
import { SchedulerBase } from './base';
import type { ConfigSpec } from './config';
import { boolean, number, oneOf } from './config';
import type { NoiseScheduleConfig } from './noise-schedule';
import { alphasCumprodFor, noiseScheduleSpec } from './noise-schedule';
import { PREDICTION_TYPES, splitModelOutput } from './prediction';
import type { NoiseLevel, PredictionType, StepOutput, TimestepSpacing } from './scheduler';
import { karrasSigmas, logSigmas, sigmaToAlphaSigma, sigmaToTimestep, trainingSigmas } from './sigmas';
import { TIMESTEP_SPACINGS, checkStepCount, interpolate, linspace, roundHalfEven } from './spacing';
import { combine } from './tensor-math';

export type DpmSolverMultistepConfig = NoiseScheduleConfig & {
  prediction_type: PredictionType;
  timestep_spacing: TimestepSpacing;
  steps_offset: number;
  solver_order: 1 | 2;
  algorithm_type: 'dpmsolver++';
  solver_type: 'midpoint' | 'heun';
  lower_order_final: boolean;
  euler_at_final: boolean;
  use_karras_sigmas: boolean;
  use_exponential_sigmas: boolean;
  use_beta_sigmas: boolean;
  use_lu_lambdas: boolean;
  use_flow_sigmas: boolean;
  final_sigmas_type: 'zero' | 'sigma_min';
  lambda_min_clipped: number;
  variance_type: null;
  thresholding: boolean;
};

export const DPM_SOLVER_MULTISTEP_CONFIG: ConfigSpec<DpmSolverMultistepConfig> = {
  ...noiseScheduleSpec({ beta_start: 0.0001, beta_end: 0.02, beta_schedule: 'linear' }),
  prediction_type: oneOf(PREDICTION_TYPES, 'epsilon'),
  timestep_spacing: oneOf(TIMESTEP_SPACINGS, 'linspace'),
  steps_offset: number(0, { integer: true, min: 0 }),
  solver_order: oneOf([1, 2] as const, 2),
  algorithm_type: oneOf(['dpmsolver++'] as const, 'dpmsolver++'),
  solver_type: oneOf(['midpoint', 'heun'] as const, 'midpoint'),
  lower_order_final: boolean(true),
  euler_at_final: boolean(false),
  use_karras_sigmas: boolean(false),
  use_exponential_sigmas: oneOf([false], false),
  use_beta_sigmas: oneOf([false], false),
  use_lu_lambdas: oneOf([false], false),
  use_flow_sigmas: oneOf([false], false),
  final_sigmas_type: oneOf(['zero', 'sigma_min'] as const, 'zero'),
  lambda_min_clipped: number(-Infinity),
  // "learned"/"learned_range" UNets output extra variance channels this port does not strip.
  variance_type: oneOf([null], null),
  thresholding: oneOf([false], false),
};

/** A noise level in DPM-Solver's terms: alpha_t, sigma_t and lambda_t = log(alpha_t) - log(sigma_t). */
interface SolverLevel {
  alphaT: number;
  sigmaT: number;
  lambdaT: number;
}

function solverLevel(sigma: number): SolverLevel {
  const { alphaT, sigmaT } = sigmaToAlphaSigma(sigma);
  return { alphaT, sigmaT, lambdaT: Math.log(alphaT) - Math.log(sigmaT) };
}

export class DpmSolverMultistepScheduler extends SchedulerBase<DpmSolverMultistepConfig> {
  readonly kind = 'dpm++2m';
  readonly isStochastic = false;
  readonly initNoiseSigma = 1;
  override readonly order: number;
  private readonly trainSigmas: Float32Array;
  /** sigma at the start of each step, then the final sigma. */
  private sigmas: readonly number[] = [];
  /** The previous step's x_0 prediction, kept for the second-order update. */
  private previous: { stepIndex: number; predOriginalSample: Tensor } | null = null;

  constructor(config: DpmSolverMultistepConfig) {
    super(config);
    this.order = config.solver_order;
    this.trainSigmas = trainingSigmas(alphasCumprodFor(config, { finiteTerminalSigma: true }));
  }

  setTimesteps(numInferenceSteps: number): void {
    const config = this.config;
    checkStepCount(numInferenceSteps, config.num_train_timesteps);
    // 1. timesteps by spacing over the training steps whose lambda is above lambda_min_clipped
    let timesteps = this.spacedTimesteps(numInferenceSteps, this.lastTimestep());
    // 2. sigmas at those timesteps, or Karras sigmas over the whole training range
    let sigmas: number[];
    if (config.use_karras_sigmas) {
      sigmas = karrasSigmas(this.trainSigmas[0], this.trainSigmas[this.trainSigmas.length - 1], numInferenceSteps);
      const logTrainSigmas = logSigmas(this.trainSigmas);
      timesteps = sigmas.map((sigma) => sigmaToTimestep(sigma, logTrainSigmas));
      if (config.beta_schedule !== 'squaredcos_cap_v2') timesteps = timesteps.map(roundHalfEven);
    } else {
      sigmas = timesteps.map((t) => interpolate(t, this.trainSigmas));
    }
    // 3. the final sigma: 0 (a clean sample) or the smallest training sigma
    sigmas.push(config.final_sigmas_type === 'zero' ? 0 : this.trainSigmas[0]);
    this.sigmas = sigmas.map(Math.fround);
    this.schedule = timesteps;
    this.reset();
  }

  /**
   * One DPM-Solver++ step. It is second order when the previous step's x_0 prediction (step
   * stepIndex - 1, since the last reset) is known, first order otherwise; the last step may drop to
   * first order (lower_order_final with fewer than 15 steps, euler_at_final, or a zero final sigma).
   */
  step(modelOutput: Tensor, stepIndex: number, sample: Tensor): StepOutput {
    this.checkStepIndex(stepIndex);
    const config = this.config;
    const isLast = stepIndex === this.schedule.length - 1;
    // 1. order of this step
    const lowerOrderFinal = isLast && (config.euler_at_final || (config.lower_order_final && this.schedule.length < 15) || config.final_sigmas_type === 'zero');
    const previous = this.previous?.stepIndex === stepIndex - 1 ? this.previous : null;
    // 2. convert the model output to the data prediction x_0
    const { predOriginalSample } = splitModelOutput(config.prediction_type, modelOutput, sample, this.levelAt(stepIndex));
    this.previous = { stepIndex, predOriginalSample };
    // 3. the update from s0 = sigmas[i] to t = sigmas[i + 1], with h = lambda_t - lambda_s0
    const t = solverLevel(this.sigmas[stepIndex + 1]);
    const s0 = solverLevel(this.sigmas[stepIndex]);
    const h = t.lambdaT - s0.lambdaT;
    const phi = Math.expm1(-h); // e^{-h} - 1
    const terms: [number, Tensor][] = [
      [t.sigmaT / s0.sigmaT, sample],
      [-t.alphaT * phi, predOriginalSample],
    ];
    if (config.solver_order === 2 && previous && !lowerOrderFinal) {
      // 4. second order (Algorithm 2): D1 = (m0 - m1) / r0 with r0 = h_0 / h, weighted per solver_type
      const s1 = solverLevel(this.sigmas[stepIndex - 1]);
      const r0 = (s0.lambdaT - s1.lambdaT) / h;
      const weight = config.solver_type === 'midpoint' ? -0.5 * t.alphaT * phi : t.alphaT * (phi / h + 1);
      terms.push([weight / r0, predOriginalSample], [-weight / r0, previous.predOriginalSample]);
    }
    return { prevSample: combine(...terms), predOriginalSample };
  }

  override reset(): void {
    this.previous = null;
  }

  override resume(stepIndex: number, previousPredOriginalSample: Tensor): void {
    this.checkStepIndex(stepIndex);
    this.previous = stepIndex > 0 ? { stepIndex: stepIndex - 1, predOriginalSample: previousPredOriginalSample } : null;
  }

  protected levelAt(stepIndex: number): NoiseLevel {
    const { alphaT, sigmaT } = sigmaToAlphaSigma(this.sigmas[stepIndex]);
    return { signalScale: alphaT, noiseScale: sigmaT };
  }

  /** One past the last training timestep with lambda_t >= lambda_min_clipped (all of them by default). */
  private lastTimestep(): number {
    const count = this.trainSigmas.length;
    // lambda_t = -log(sigma_t) falls as t grows; count the clipped tail of the schedule.
    let clipped = 0;
    while (clipped < count && -Math.log(this.trainSigmas[count - 1 - clipped]) < this.config.lambda_min_clipped) clipped++;
    return count - clipped;
  }

  /** DPM-Solver's spacing: n + 1 points with the last (t = 0) dropped, unlike DDIM and Euler. */
  private spacedTimesteps(numSteps: number, lastTimestep: number): number[] {
    const { timestep_spacing, steps_offset, num_train_timesteps } = this.config;
    switch (timestep_spacing) {
      case 'linspace':
        return linspace(0, lastTimestep - 1, numSteps + 1).map(roundHalfEven).reverse().slice(0, numSteps);
      case 'leading': {
        const stepRatio = Math.floor(lastTimestep / (numSteps + 1));
        return Array.from({ length: numSteps }, (_, i) => (numSteps - i) * stepRatio + steps_offset);
      }
      case 'trailing': {
        // Steps of T / n down from the last unclipped timestep: fewer than n when lambda_min_clipped clips.
        const stepRatio = num_train_timesteps / numSteps;
        const starts = Array.from({ length: numSteps }, (_, i) => lastTimestep - i * stepRatio).filter((t) => t > 0);
        return starts.map((t) => roundHalfEven(t) - 1);
      }
    }
  }
}
