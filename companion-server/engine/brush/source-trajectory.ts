/**
 * Where the source trajectory Z_0..Z_N comes from (algorithm.md): regenerated exactly for images we
 * generated, DDIM-inverted from the VAE encoding for any other image, or forward-noised from the encoding
 * ("noise", cheaper). Each is cached under a key of everything it depends on.
 */
import { createHash } from 'node:crypto';
import type { BrushRequest, GenerateRequest, JobContext, RgbaImage } from '../jobs';
import type { StableDiffusionModel } from '../model/components';
import { generateTrajectory } from '../pipeline/generate';
import { ddimInvert } from '../pipeline/invert';
import { encodeImages } from '../pipeline/vae';
import { gaussianNoise } from '../random';
import { createScheduler, type Scheduler, type SchedulerKind } from '../schedulers';
import { sampleScale } from '../schedulers/scheduler';
import { scaleTensor, type Tensor } from '../tensor';
import type { SourceTrajectory, TrajectoryCache } from './trajectory-cache';

export interface SourceTrajectoryInput {
  model: StableDiffusionModel;
  request: BrushRequest;
  /** The context crop at the processing size (what the VAE encodes for "invert" and "noise"). */
  processed: RgbaImage;
  /** The earliest injection step: the trajectory must reach back to it. */
  firstStep: number;
  ctx: JobContext;
  cache: TrajectoryCache;
}

export async function sourceTrajectory(input: SourceTrajectoryInput): Promise<SourceTrajectory> {
  const key = sourceKey(input);
  const cached = input.cache.get(key, input.firstStep);
  if (cached) return cached;
  const trajectory = await buildTrajectory(input);
  input.cache.set(key, trajectory);
  return trajectory;
}

/** Everything the trajectory depends on: model, image (hash of the processed crop), steps, scheduler, and the prompt (inversion) or seed (noise). */
export function sourceKey({ model, request, processed }: SourceTrajectoryInput): string {
  const source = request.trajectory;
  if (source.kind === 'generated') return generatedSourceKey(model, source.generation);
  const parts: unknown[] = [model.id, model.directory, source.kind];
  const hash = createHash('sha256').update(processed.data).digest('hex');
  parts.push(hash, processed.width, processed.height, request.steps, request.scheduler);
  // Inversion runs on the conditional prediction alone: the negative prompt and guidance do not change it.
  parts.push(source.kind === 'noise' ? source.seed : request.prompt);
  return JSON.stringify(parts);
}

/** The cache key of a generated image's trajectory: its model and everything the generation depends on. */
export function generatedSourceKey(model: StableDiffusionModel, g: GenerateRequest): string {
  return JSON.stringify([model.id, model.directory, 'generated', g.prompt, g.negativePrompt, g.steps, g.scheduler, g.guidance, g.seed, g.width, g.height]);
}

/**
 * Collects what resuming a generated trajectory needs besides its latents: the x0 predicted at every
 * step, for multistep schedulers (their history). Undefined for single-step schedulers.
 */
export function multistepHistoryRecorder(
  model: StableDiffusionModel,
  scheduler: SchedulerKind,
): { predictions: Tensor[]; onPrediction: (step: number, x0: Tensor) => void } | undefined {
  if (createScheduler(scheduler, model.schedulerConfig).order <= 1) return undefined;
  const predictions: Tensor[] = [];
  return { predictions, onPrediction: (step, x0) => void (predictions[step] = x0) };
}

/** A generated image's trajectory Z_0..Z_N as the brush resumes it. */
export function generatedSource(generation: GenerateRequest, latents: readonly Tensor[], predictions?: readonly Tensor[]): SourceTrajectory {
  return { latents, firstStep: 0, noiseSeed: generation.seed, ...(predictions ? { predictions } : {}) };
}

async function buildTrajectory(input: SourceTrajectoryInput): Promise<SourceTrajectory> {
  const { model, request, ctx } = input;
  const source = request.trajectory;
  if (source.kind === 'generated') {
    const history = multistepHistoryRecorder(model, source.generation.scheduler);
    // Reported as its own phase: the edit's denoising steps follow and would otherwise seem to start over.
    const regenerating: JobContext = { ...ctx, progress: (event) => ctx.progress(event.phase === 'denoise' ? { ...event, phase: 'regenerate' } : event) };
    const latents = await generateTrajectory(model, { ...source.generation, previewEvery: 0 }, { ctx: regenerating, onPrediction: history?.onPrediction });
    return generatedSource(source.generation, latents, history?.predictions);
  }
  ctx.progress({ phase: 'encode', step: 0, total: 1 });
  const encoded = await encodeImages(model, [input.processed]);
  ctx.progress({ phase: 'encode', step: 1, total: 1 });
  const scheduler = createScheduler(request.scheduler, model.schedulerConfig);
  scheduler.setTimesteps(request.steps);
  if (source.kind === 'noise') {
    const noise = gaussianNoise(encoded.dims, source.seed);
    const latents = Array.from({ length: request.steps + 1 }, (_, i) => (i === request.steps ? encoded : scheduler.addNoise(encoded, noise, i)));
    return { latents, firstStep: 0, noiseSeed: source.seed };
  }
  const latents = await invertToStep(model, encoded, input.firstStep, scheduler, request, ctx);
  return { latents, firstStep: input.firstStep, noiseSeed: 0 };
}

/**
 * The inverted trajectory rescaled to the brush scheduler's sample scale at each step, so Euler-type
 * schedulers (x0 + sigma eps) can start from it; the retrace is exact in the limit only for DDIM.
 */
async function invertToStep(
  model: StableDiffusionModel,
  encoded: Tensor,
  firstStep: number,
  target: Scheduler,
  request: BrushRequest,
  ctx: JobContext,
): Promise<(Tensor | undefined)[]> {
  const ddim = createScheduler('ddim', model.schedulerConfig);
  ddim.setTimesteps(request.steps);
  const inverted = await ddimInvert(model, encoded, { prompt: request.prompt, steps: request.steps, untilStep: firstStep, ctx });
  return inverted.map((latent, i) => latent && (i === request.steps ? latent : scaleTensor(latent, sampleScale(target.noiseLevel(i)) / sampleScale(ddim.noiseLevel(i)))));
}
