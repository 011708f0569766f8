/**
 * The jobs the engine worker runs, one entry per kind. A handler gets the loaded model, its params
 * (plain data that crossed the worker boundary) and a JobContext for progress and cancellation.
 * EngineHost.run() takes its parameter and result types from this map, so adding a kind is adding
 * one entry here: `kind: handler`. The main thread imports this module for its types only.
 *
 * Typed arrays in a result or a progress event are transferred (moved, not copied) to the main
 * thread and become empty in the worker: a handler returns copies of anything it keeps in a cache.
 */
import type { JobContext } from './jobs';
import type { StableDiffusionModel } from './model/components';
import { describeModel } from './model/model-info';
import { unetProbe } from './model/unet-probe';
import { brushJob, generateJob, setTrajectoryCacheBudget } from './trajectory-jobs';

export type JobHandler<Params, Result> = (model: StableDiffusionModel, params: Params, ctx: JobContext) => Promise<Result>;

/** For kinds that take no parameters. */
export type NoParams = Record<string, never>;

export const jobHandlers = {
  info: async (model: StableDiffusionModel, _params: NoParams) => describeModel(model),
  'unet-probe': unetProbe,
  generate: generateJob,
  brush: brushJob,
} satisfies Record<string, JobHandler<never, unknown>>;

/** Settings of the job handlers that outlive one job: the caches. */
export interface EngineSettings {
  /** Bytes the engine's caches (source trajectories) may hold; default: each cache's own. */
  memoryBudgetBytes?: number;
}

export function configureJobHandlers(settings: EngineSettings): void {
  if (settings.memoryBudgetBytes !== undefined) setTrajectoryCacheBudget(settings.memoryBudgetBytes);
}

export type JobKind = keyof typeof jobHandlers;
export type JobParams<K extends JobKind> = Parameters<(typeof jobHandlers)[K]>[1];
export type JobResult<K extends JobKind> = Awaited<ReturnType<(typeof jobHandlers)[K]>>;

export function isJobKind(kind: string): kind is JobKind {
  return Object.hasOwn(jobHandlers, kind);
}
