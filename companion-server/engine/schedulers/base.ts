/**
 * What all our schedulers share: the step-index bookkeeping, argument checks, and forward noising,
 * which is the same formula everywhere once the noise level is known (x_t = a * x_0 + b * eps).
 */
import type { Tensor } from '../tensor';
import type { NoiseLevel, PredictionType, Scheduler, SchedulerKind, StepOptions, StepOutput } from './scheduler';
import { checkSameShape, combine } from './tensor-math';

export type BaseConfig = { num_train_timesteps: number; prediction_type: PredictionType };

export abstract class SchedulerBase<C extends BaseConfig> implements Scheduler {
  abstract readonly kind: SchedulerKind;
  abstract readonly isStochastic: boolean;
  abstract readonly initNoiseSigma: number;
  readonly order: number = 1;
  protected schedule: readonly number[] = [];

  constructor(readonly config: Readonly<C>) {}

  get timesteps(): readonly number[] {
    return this.schedule;
  }

  abstract setTimesteps(numInferenceSteps: number): void;
  abstract step(modelOutput: Tensor, stepIndex: number, sample: Tensor, options?: StepOptions): StepOutput;
  protected abstract levelAt(stepIndex: number): NoiseLevel;

  scaleModelInput(sample: Tensor, stepIndex: number): Tensor {
    this.checkStepIndex(stepIndex);
    return sample;
  }

  noiseLevel(stepIndex: number): NoiseLevel {
    this.checkIndex(stepIndex, this.schedule.length);
    return this.levelAt(stepIndex);
  }

  addNoise(originalSample: Tensor, noise: Tensor, stepIndex: number): Tensor {
    checkSameShape(originalSample, noise, 'noise');
    const level = this.noiseLevel(stepIndex);
    return combine([level.signalScale, originalSample], [level.noiseScale, noise]);
  }

  reset(): void {}

  resume(_stepIndex: number, _previousPredOriginalSample: Tensor): void {}

  /** Throws unless `stepIndex` names a step of the current schedule. */
  protected checkStepIndex(stepIndex: number): void {
    this.checkIndex(stepIndex, this.schedule.length - 1);
  }

  /** The caller's N(0, I) noise for a stochastic step, checked against the sample's shape. */
  protected requireNoise(options: StepOptions | undefined, sample: Tensor, stepIndex: number): Tensor {
    if (!options?.noise) {
      throw new Error(
        `The ${this.kind} scheduler draws fresh noise at step ${stepIndex}: pass options.noise ` +
          '(N(0, I) noise of the sample\'s shape, seeded by the caller so the trajectory can be regenerated).',
      );
    }
    checkSameShape(sample, options.noise, 'step noise');
    return options.noise;
  }

  private checkIndex(stepIndex: number, last: number): void {
    if (this.schedule.length === 0) {
      throw new Error(`The ${this.kind} scheduler has no timesteps yet: call setTimesteps(numInferenceSteps) first.`);
    }
    if (!Number.isInteger(stepIndex) || stepIndex < 0 || stepIndex > last) {
      throw new RangeError(`Step index ${stepIndex} is outside this ${this.schedule.length}-step schedule; use 0 to ${last}.`);
    }
  }
}
