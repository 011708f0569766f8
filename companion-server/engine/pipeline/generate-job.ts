/** The 'generate' job of the engine worker: text-to-image with optional streamed previews. */
import type { GenerateRequest, GenerateResult, JobContext } from '../jobs';
import type { StableDiffusionModel } from '../model/components';
import { coefficientsFor, latentPreview } from '../preview';
import { generate } from './generate';

export async function generateJob(model: StableDiffusionModel, request: GenerateRequest, ctx: JobContext): Promise<GenerateResult> {
  const coefficients = request.previewEvery ? await coefficientsFor(model) : undefined;
  return generate(model, request, {
    ctx,
    preview: coefficients && ((predOriginalSample) => latentPreview(predOriginalSample, coefficients)),
  });
}
