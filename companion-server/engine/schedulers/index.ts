/**
 * The schedulers, built from a model's scheduler_config.json read as-is:
 * `createScheduler(kind, config, { warn, eta })`.
 */
import type { Warn } from './config';
import { resolveConfig } from './config';
import { DDIM_CONFIG, DdimScheduler } from './ddim';
import { DPM_SOLVER_MULTISTEP_CONFIG, DpmSolverMultistepScheduler } from './dpm-solver-multistep';
import { EULER_CONFIG, EulerScheduler } from './euler';
import { EULER_ANCESTRAL_CONFIG, EulerAncestralScheduler } from './euler-ancestral';
import { LCM_CONFIG, LcmScheduler } from './lcm';
import type { SchedulerConfig, SchedulerKind } from './scheduler';
import { SCHEDULER_KINDS } from './scheduler';

export * from './scheduler';
export { DdimScheduler, DpmSolverMultistepScheduler, EulerAncestralScheduler, EulerScheduler, LcmScheduler };

export interface SchedulerByKind {
  ddim: DdimScheduler;
  euler: EulerScheduler;
  'euler-ancestral': EulerAncestralScheduler;
  'dpm++2m': DpmSolverMultistepScheduler;
  lcm: LcmScheduler;
}

export interface CreateSchedulerOptions {
  /** Receives one sentence per config key that no diffusers scheduler we know reads (likely a typo). */
  warn?: Warn;
  /** DDIM only: the weight of fresh noise per step (0, the default, is deterministic DDIM). */
  eta?: number;
}

/**
 * A scheduler of `kind` configured by `config`: the parsed scheduler_config.json of any diffusers
 * scheduler class, checked here. Keys of other classes and keys starting with "_" are ignored quietly,
 * unknown keys go to `warn`, unsupported values throw an Error that lists the supported ones.
 * Call setTimesteps before stepping.
 */
export function createScheduler<K extends SchedulerKind>(
  kind: K,
  config: SchedulerConfig | Readonly<Record<string, unknown>>,
  options: CreateSchedulerOptions = {},
): SchedulerByKind[K] {
  const { warn, eta } = options;
  if (eta !== undefined && kind !== 'ddim') {
    throw new Error(`eta applies to the ddim scheduler only; the ${kind} scheduler has no eta. Drop the option or use ddim.`);
  }
  const scheduler = (() => {
    switch (kind as SchedulerKind) {
      case 'ddim':
        return new DdimScheduler(resolveConfig(kind, DDIM_CONFIG, config, warn), eta);
      case 'euler':
        return new EulerScheduler(resolveConfig(kind, EULER_CONFIG, config, warn));
      case 'euler-ancestral':
        return new EulerAncestralScheduler(resolveConfig(kind, EULER_ANCESTRAL_CONFIG, config, warn));
      case 'dpm++2m':
        return new DpmSolverMultistepScheduler(resolveConfig(kind, DPM_SOLVER_MULTISTEP_CONFIG, config, warn));
      case 'lcm':
        return new LcmScheduler(resolveConfig(kind, LCM_CONFIG, config, warn));
      default:
        throw new Error(`Unknown scheduler "${String(kind)}"; use one of ${SCHEDULER_KINDS.join(', ')}.`);
    }
  })();
  return scheduler as SchedulerByKind[K];
}
