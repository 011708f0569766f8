/**
 * The 'brush' job of the engine worker: one trajectory cache for the worker's lifetime (keys name the
 * model, so models can share it).
 */
import type { BrushRequest, BrushResult, JobContext } from '../jobs';
import type { StableDiffusionModel } from '../model/components';
import { coefficientsFor } from '../preview';
import { runBrush } from './run-brush';
import { TrajectoryCache } from './trajectory-cache';

let trajectories = new TrajectoryCache();

/** Replaces the worker's trajectory cache with an empty one bounded by `budgetBytes`. */
export function setTrajectoryCacheBudget(budgetBytes: number): void {
  trajectories = new TrajectoryCache(budgetBytes);
}

export async function brushJob(model: StableDiffusionModel, request: BrushRequest, ctx: JobContext): Promise<BrushResult> {
  return runBrush(model, request, { ctx, cache: trajectories, previewCoefficients: request.previewEvery ? await coefficientsFor(model) : undefined });
}
