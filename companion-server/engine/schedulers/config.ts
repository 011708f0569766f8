/**
 * Reading scheduler_config.json as-is. Each scheduler declares the diffusers keys it honours, with
 * diffusers' defaults and the values we support; everything else is either another diffusers
 * scheduler's setting (ignored quietly, as diffusers' from_config does) or unknown (reported through
 * `warn`, since it is most likely a typo).
 */
import { SCHEDULER_KINDS } from './scheduler';
import type { SchedulerKind } from './scheduler';

/** How one config key is read: its default and a parser that refuses what we do not support. */
export interface KeyRule<V> {
  readonly fallback: V;
  read(value: unknown, key: string): V;
}

export type ConfigSpec<T> = { readonly [K in keyof T]: KeyRule<T[K]> };

export type Warn = (message: string) => void;

/**
 * Config keys of diffusers' scheduler classes, ours and the others (PNDM, DDPM, LMS, Heun, KDPM2, DEIS,
 * UniPC, SA-Solver, EDM, flow matching): a key one of our kinds does not read may belong to another.
 */
const DIFFUSERS_SCHEDULER_KEYS = new Set([
  'skip_prk_steps', 'variance_type', 'predict_x0', 'solver_p', 'disable_corrector', 'use_flow_sigmas', 'flow_shift',
  'use_dynamic_shifting', 'time_shift_type', 'sigma_data', 'sigma_schedule', 'rho', 's_noise', 's_churn', 's_tmin',
  's_tmax', 'shift', 'base_shift', 'max_shift', 'base_image_seq_len', 'max_image_seq_len', 'invert_sigmas',
  'shift_terminal', 'stochastic_sampling', 'predictor_order', 'corrector_order', 'tau_func', 'use_lu_lambdas',
  'use_beta_sigmas', 'use_exponential_sigmas', 'dynamic_thresholding_ratio', 'sample_max_value', 'thresholding',
  'lambda_min_clipped', 'euler_at_final', 'clip_sample', 'clip_sample_range', 'set_alpha_to_one', 'timestep_scaling',
  'original_inference_steps', 'interpolation_type', 'timestep_type', 'final_sigmas_type', 'solver_order',
  'algorithm_type', 'solver_type', 'lower_order_final', 'use_karras_sigmas', 'sigma_min', 'sigma_max',
]);

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

export function oneOf<V>(allowed: readonly V[], fallback: V): KeyRule<V> {
  return {
    fallback,
    read(value, key) {
      if (!allowed.includes(value as V)) {
        throw new Error(
          `Scheduler config "${key}" is ${describe(value)}, which is not supported; ` +
            `use one of ${allowed.map(describe).join(', ')} in scheduler_config.json.`,
        );
      }
      return value as V;
    },
  };
}

export const boolean = (fallback: boolean): KeyRule<boolean> => oneOf([true, false], fallback);

export function number(fallback: number, limits: { integer?: boolean; min?: number; above?: number } = {}): KeyRule<number> {
  const wanted = [
    limits.integer ? 'an integer' : 'a number',
    limits.min !== undefined ? `>= ${limits.min}` : '',
    limits.above !== undefined ? `> ${limits.above}` : '',
  ].filter(Boolean).join(' ');
  return {
    fallback,
    read(value, key) {
      const ok =
        typeof value === 'number' &&
        !Number.isNaN(value) &&
        (!limits.integer || Number.isInteger(value)) &&
        (limits.min === undefined || value >= limits.min) &&
        (limits.above === undefined || value > limits.above);
      if (!ok) throw new Error(`Scheduler config "${key}" is ${describe(value)}; it must be ${wanted}. Fix scheduler_config.json.`);
      return value as number;
    },
  };
}

/** A number, or null for "derive it" (diffusers' None). */
export function optionalNumber(limits: { above?: number } = {}): KeyRule<number | null> {
  const inner = number(0, limits);
  return { fallback: null, read: (value, key) => inner.read(value, key) };
}

export const numberList: KeyRule<number[] | null> = {
  fallback: null,
  read(value, key) {
    if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new Error(`Scheduler config "${key}" must be a non-empty list of numbers (or null); got ${describe(value)}.`);
    }
    return value as number[];
  },
};

/**
 * Resolves a raw scheduler_config.json object against a spec: missing or null keys take the default,
 * supported values pass, unsupported ones throw, keys unknown to diffusers go to `warn`.
 */
export function resolveConfig<T>(kind: SchedulerKind, spec: ConfigSpec<T>, raw: unknown, warn?: Warn): T {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error(`A ${kind} scheduler config must be a JSON object (scheduler_config.json); got ${describe(raw)}.`);
  }
  const source = raw as Record<string, unknown>;
  const resolved: Partial<T> = {};
  for (const key of Object.keys(spec) as (keyof T & string)[]) {
    const rule = spec[key];
    const value = source[key];
    resolved[key] = value === undefined || value === null ? rule.fallback : rule.read(value, key);
  }
  for (const key of Object.keys(source)) {
    if (key in spec || key.startsWith('_') || DIFFUSERS_SCHEDULER_KEYS.has(key)) continue;
    warn?.(
      `Scheduler config key "${key}" is not a setting of any diffusers scheduler we know, so the ${kind} ` +
        `scheduler ignores it (ours: ${SCHEDULER_KINDS.join(', ')}). Check its spelling in scheduler_config.json.`,
    );
  }
  return resolved as T;
}
