/**
 * Where the source trajectory Z_0..Z_N comes from (algorithm.md): regenerated exactly for images we
 * generated, DDIM-inverted from the VAE encoding for any other image, or forward-noised from the encoding
 * ("noise", cheaper). Each is cached under a key of everything it depends on.
 */
import { createHash } from 'node:crypto';
import type { BrushRequest, JobContext, RgbaImage } from '../jobs';
import type { StableDiffusionModel } from '../model/components';
import { encodePrompts } from '../pipeline/conditioning';
import { generateTrajectory } from '../pipeline/generate';
import { encodeImages } from '../pipeline/vae';
import { gaussianNoise } from '../random';
import { createScheduler, type Scheduler } from '../schedulers';
import type { Tensor } from '../tensor';
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

/** Everything the trajectory depends on: model, image (hash of the processed crop), prompt, steps, scheduler, guidance, seed. */
export function sourceKey({ model, request, processed }: SourceTrajectoryInput): string {
  const source = request.trajectory;
  const parts: unknown[] = [model.id, model.directory, source.kind];
  if (source.kind === 'generated') {
    const g = source.generation;
    parts.push(g.prompt, g.negativePrompt, g.steps, g.scheduler, g.guidance, g.seed, g.width, g.height);
  } else {
    const hash = createHash('sha256').update(processed.data).digest('hex');
    parts.push(hash, processed.width, processed.height, request.steps, request.scheduler);
    parts.push(...(source.kind === 'noise' ? [source.seed] : [request.prompt, request.negativePrompt, request.guidance]));
  }
  return JSON.stringify(parts);
}

async function buildTrajectory(input: SourceTrajectoryInput): Promise<SourceTrajectory> {
  const { model, request, ctx } = input;
  const source = request.trajectory;
  if (source.kind === 'generated') {
    const latents = await generateTrajectory(model, { ...source.generation, previewEvery: 0 }, { ctx });
    return { latents, firstStep: 0, noiseSeed: source.generation.seed };
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
 * DDIM inversion (Song et al. 2021, sec. 4.3; diffusers' DDIMInverseScheduler) of a clean latent Z_N back
 * to Z_firstStep, N - firstStep UNet calls. It runs on the conditional prediction alone (guidance 1):
 * inversion with classifier-free guidance amplifies its own error. The latents are rescaled to the
 * brush scheduler's sample scale at each step, so Euler-type schedulers (x0 + sigma eps) can start from
 * them; the retrace is exact in the limit only for DDIM.
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
  const [cond] = await encodePrompts(model, [request.prompt]);
  const steps = request.steps;
  const latents: (Tensor | undefined)[] = new Array(steps + 1).fill(undefined);
  let sample = encoded;
  latents[steps] = encoded;
  for (let i = steps - 1; i >= firstStep; i--) {
    ctx.throwIfCancelled();
    const noisePrediction = await model.unet.predict(sample, ddim.timesteps[i], cond);
    sample = ddim.invertStep(noisePrediction, i, sample);
    latents[i] = rescale(sample, sampleScale(target, i) / sampleScale(ddim, i));
    ctx.progress({ phase: 'invert', step: steps - i, total: steps - firstStep });
  }
  return latents;
}

function sampleScale(scheduler: Scheduler, step: number): number {
  const level = scheduler.noiseLevel(step);
  return Math.hypot(level.signalScale, level.noiseScale);
}

function rescale(t: Tensor, factor: number): Tensor {
  return factor === 1 ? t : { data: t.data.map((v) => v * factor), dims: t.dims };
}
