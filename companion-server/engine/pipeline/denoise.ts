/**
 * The reverse-diffusion loop shared by generation and the brush: from step `fromStep` to `toStep`
 * (indices into the scheduler's timesteps), with guidance, per-step seeded noise for stochastic
 * schedulers, cancellation and progress once per step.
 */
import type { JobContext, RgbaImage } from '../jobs';
import type { Unet } from '../model/components';
import type { Scheduler } from '../schedulers/scheduler';
import type { Tensor } from '../tensor';
import { concatBatch } from '../tensor';
import { deriveSeed, gaussianNoise } from '../random';
import { BatchConditioning, guidedPredictor } from './guidance';

export interface DenoiseOptions {
  unet: Unet;
  scheduler: Scheduler;
  conditioning: BatchConditioning;
  guidance: number;
  /** One seed per batch row; step i of row b draws its noise from deriveSeed(seed_b, i). */
  noiseSeeds: readonly number[];
  ctx: JobContext;
  /** Preview the current x0 prediction every this many steps (0 or absent: never). */
  previewEvery?: number;
  preview?: (predOriginalSample: Tensor) => RgbaImage;
  /**
   * Called after step i produced Z_{i+1} (and predicted x0 on the way); may return replacement latents
   * (the brush merges and injects here). The loop continues from what it returns.
   */
  afterStep?: (stepIndex: number, latents: Tensor, predOriginalSample: Tensor) => Tensor | void;
}

/** Runs steps fromStep .. toStep-1 on `latents` (Z_fromStep) and returns Z_toStep. */
export async function denoise(latents: Tensor, fromStep: number, toStep: number, options: DenoiseOptions): Promise<Tensor> {
  const { unet, scheduler, ctx } = options;
  const total = scheduler.timesteps.length;
  if (fromStep < 0 || toStep > total || fromStep > toStep) {
    throw new RangeError(`Cannot denoise from step ${fromStep} to ${toStep} of a ${total}-step schedule.`);
  }
  if (options.noiseSeeds.length !== latents.dims[0]) {
    throw new Error(`${options.noiseSeeds.length} noise seeds for a batch of ${latents.dims[0]} latents.`);
  }
  const predictNoise = guidedPredictor(unet, options.conditioning, options.guidance, latents.dims[0]);
  let sample = latents;
  for (let i = fromStep; i < toStep; i++) {
    ctx.throwIfCancelled();
    const modelInput = scheduler.scaleModelInput(sample, i);
    const noisePrediction = await predictNoise(modelInput, scheduler.timesteps[i]);
    const noise = scheduler.isStochastic ? stepNoise(options.noiseSeeds, i, sample.dims) : undefined;
    const { prevSample, predOriginalSample } = scheduler.step(noisePrediction, i, sample, { noise });
    sample = options.afterStep?.(i, prevSample, predOriginalSample) ?? prevSample;
    const wantsPreview = options.preview && options.previewEvery && ((i + 1) % options.previewEvery === 0 || i + 1 === toStep);
    ctx.progress({
      phase: 'denoise',
      step: i + 1,
      total,
      preview: wantsPreview ? options.preview!(predOriginalSample) : undefined,
    });
  }
  return sample;
}

/**
 * The noise a stochastic scheduler draws at step i: one seeded stream per batch row. Rows that share a seed
 * (every row of a brush edit) share one draw.
 */
export function stepNoise(seeds: readonly number[], stepIndex: number, dims: readonly number[]): Tensor {
  const rowDims = [1, ...dims.slice(1)];
  const drawn = new Map<number, Tensor>();
  const rowNoise = (seed: number) => drawn.get(seed) ?? drawn.set(seed, gaussianNoise(rowDims, deriveSeed(seed, stepIndex))).get(seed)!;
  return concatBatch(seeds.map(rowNoise));
}
