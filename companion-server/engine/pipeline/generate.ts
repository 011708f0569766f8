/** Text-to-image: the source trajectory Z_0..Z_N of a generated image, and the image itself. */
import type { GenerateRequest, GenerateResult, JobContext, RgbaImage } from '../jobs';
import type { StableDiffusionModel } from '../model/components';
import { createScheduler } from '../schedulers';
import { scaleTensor, type Tensor } from '../tensor';
import { gaussianNoise } from '../random';
import { encodeConditioning } from './conditioning';
import { denoise } from './denoise';
import { validateGenerateRequest } from './validate';
import { decodeLatents } from './vae';

export interface GenerateOptions {
  ctx: JobContext;
  preview?: (predOriginalSample: Tensor) => RgbaImage;
  /** Sees the x0 predicted at every step (a multistep scheduler's history, for resuming the trajectory). */
  onPrediction?: (stepIndex: number, predOriginalSample: Tensor) => void;
}

/**
 * Z_0 (the seeded initial noise, scaled by the scheduler's initNoiseSigma) and Z_1..Z_N. The same request
 * always gives the same trajectory: the brush relies on this to edit images we generated without inversion.
 */
export async function generateTrajectory(
  model: StableDiffusionModel,
  request: GenerateRequest,
  options: GenerateOptions,
): Promise<Tensor[]> {
  validateGenerateRequest(request, model.sizeMultiple);
  const scheduler = createScheduler(request.scheduler, model.schedulerConfig);
  scheduler.setTimesteps(request.steps);
  const conditioning = await encodeConditioning(model, request.prompt, request.negativePrompt);
  const latentDims = [1, model.latentChannels, request.height / model.vaeScaleFactor, request.width / model.vaeScaleFactor];
  const initial = scaleTensor(gaussianNoise(latentDims, request.seed), scheduler.initNoiseSigma);
  const trajectory: Tensor[] = [initial];
  await denoise(initial, 0, request.steps, {
    unet: model.unet,
    scheduler,
    conditioning,
    guidance: request.guidance,
    noiseSeeds: [request.seed],
    ctx: options.ctx,
    previewEvery: request.previewEvery,
    preview: options.preview,
    afterStep: (stepIndex, latents, predOriginalSample) => {
      trajectory.push(latents);
      options.onPrediction?.(stepIndex, predOriginalSample);
    },
  });
  return trajectory;
}

export async function generate(model: StableDiffusionModel, request: GenerateRequest, options: GenerateOptions): Promise<GenerateResult> {
  const trajectory = await generateTrajectory(model, request, options);
  options.ctx.throwIfCancelled();
  options.ctx.progress({ phase: 'decode', step: 0, total: 1 });
  const [image] = await decodeLatents(model, trajectory[trajectory.length - 1]);
  options.ctx.progress({ phase: 'decode', step: 1, total: 1 });
  return { image, trajectory };
}
