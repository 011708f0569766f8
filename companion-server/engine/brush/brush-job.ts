/**
 * The 'brush' job of the engine worker: one trajectory cache for the worker's lifetime (keys name the
 * model, so models can share it), preview coefficients loaded (or fitted) once per model.
 */
import type { BrushRequest, BrushResult, JobContext } from '../jobs';
import type { StableDiffusionModel } from '../model/components';
import { latentRgbFor, type LatentRgbCoefficients } from '../preview';
import { runBrush } from './run-brush';
import { TrajectoryCache } from './trajectory-cache';

const trajectories = new TrajectoryCache();
const previewCoefficients = new WeakMap<StableDiffusionModel, Promise<LatentRgbCoefficients>>();

export async function brushJob(model: StableDiffusionModel, request: BrushRequest, ctx: JobContext): Promise<BrushResult> {
  return runBrush(model, request, { ctx, cache: trajectories, previewCoefficients: request.previewEvery ? await coefficientsFor(model) : undefined });
}

export function coefficientsFor(model: StableDiffusionModel): Promise<LatentRgbCoefficients> {
  let pending = previewCoefficients.get(model);
  if (!pending) {
    pending = latentRgbFor(model);
    previewCoefficients.set(model, pending);
  }
  return pending;
}
