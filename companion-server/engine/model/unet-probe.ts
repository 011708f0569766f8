/**
 * A small job that exercises the expensive part of a model without a scheduler: the UNet on seeded
 * noise for a number of steps, with progress and cancellation between steps. Used to check a model
 * and provider end to end, and to measure the cost of one denoising step.
 */
import { EngineError } from '../engine-error';
import type { JobContext } from '../jobs';
import { gaussianNoise } from '../random';
import { concatBatch } from '../tensor';
import type { StableDiffusionModel } from './components';

export interface UnetProbeParams {
  steps: number;
  /** Image size in pixels (multiples of the VAE factor); default: the model's native size. */
  width?: number;
  height?: number;
  seed?: number;
}

export interface UnetProbeResult {
  steps: number;
  /** Dims of one UNet output (batch 2: unconditional and conditional, as guidance runs it). */
  outputDims: number[];
  /** Wall time of the UNet steps, and the part of it spent inside onnxruntime (whole model). */
  milliseconds: number;
  onnxMilliseconds: number;
}

export async function unetProbe(model: StableDiffusionModel, params: UnetProbeParams, ctx: JobContext): Promise<UnetProbeResult> {
  const { steps, width = model.nativeSize, height = model.nativeSize, seed = 0 } = params;
  const factor = model.vaeScaleFactor;
  if (!Number.isInteger(steps) || steps < 1 || width % factor !== 0 || height % factor !== 0 || width <= 0 || height <= 0) {
    throw new EngineError(
      'INVALID_JOB_PARAMS',
      `unet-probe needs a whole number of steps >= 1 and a positive size in multiples of ${factor}; got steps ${steps}, ${width}x${height}.`,
    );
  }
  const empty = model.tokenizer.encode('');
  const hidden = await model.textEncoder.encode([empty, empty]);
  const latent = gaussianNoise([1, model.latentChannels, height / factor, width / factor], seed);
  let sample = concatBatch([latent, latent]);
  const onnxBefore = model.onnxRunStats().milliseconds;
  const started = performance.now();
  for (let step = 0; step < steps; step++) {
    ctx.throwIfCancelled();
    // Timesteps descend as in a 1000-step schedule; the values only need to be valid.
    sample = await model.unet.predict(sample, Math.round(999 - (step * 999) / steps), hidden);
    ctx.progress({ phase: 'denoise', step: step + 1, total: steps });
  }
  return {
    steps,
    outputDims: [...sample.dims],
    milliseconds: performance.now() - started,
    onnxMilliseconds: model.onnxRunStats().milliseconds - onnxBefore,
  };
}
