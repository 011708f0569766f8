/**
 * The worker's 'generate' and 'brush' jobs, which share one trajectory cache for the worker's lifetime
 * (keys name the model, so models can share it). A generation leaves its trajectory there, so the
 * first brush on the new image costs only its regeneration steps, like every later one.
 */
import { runBrush } from './brush/run-brush';
import { generatedSource, generatedSourceKey, multistepHistoryRecorder } from './brush/source-trajectory';
import { TrajectoryCache } from './brush/trajectory-cache';
import type { BrushRequest, BrushResult, GenerateRequest, GenerateResult, JobContext } from './jobs';
import type { StableDiffusionModel } from './model/components';
import { generate } from './pipeline/generate';
import { coefficientsFor, latentPreview } from './preview';
import type { Tensor } from './tensor';

let trajectories = new TrajectoryCache();

/** Replaces the worker's trajectory cache with an empty one bounded by `budgetBytes`. */
export function setTrajectoryCacheBudget(budgetBytes: number): void {
  trajectories = new TrajectoryCache(budgetBytes);
}

export async function generateJob(model: StableDiffusionModel, request: GenerateRequest, ctx: JobContext): Promise<GenerateResult> {
  const coefficients = request.previewEvery ? await coefficientsFor(model) : undefined;
  const history = multistepHistoryRecorder(model, request.scheduler);
  const result = await generate(model, request, {
    ctx,
    preview: coefficients && ((predOriginalSample) => latentPreview(predOriginalSample, coefficients)),
    onPrediction: history?.onPrediction,
  });
  // The result's arrays move to the main thread; the cache keeps copies.
  trajectories.set(generatedSourceKey(model, request), generatedSource(request, result.trajectory.map(copyTensor), history?.predictions));
  return result;
}

export async function brushJob(model: StableDiffusionModel, request: BrushRequest, ctx: JobContext): Promise<BrushResult> {
  return runBrush(model, request, { ctx, cache: trajectories, previewCoefficients: request.previewEvery ? await coefficientsFor(model) : undefined });
}

function copyTensor(t: Tensor): Tensor {
  return { data: t.data.slice(), dims: t.dims };
}
