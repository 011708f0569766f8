/**
 * DDIM inversion (Song et al. 2021, sec. 4.3; diffusers' DDIMInverseScheduler): walks a clean latent
 * Z_N back to Z_untilStep with N - untilStep UNet calls, so an image we did not generate gets a
 * trajectory the brush can resume from. It runs on the conditional prediction alone (guidance 1):
 * inversion with classifier-free guidance amplifies its own error.
 */
import type { JobContext } from '../jobs';
import type { StableDiffusionModel } from '../model/components';
import { createScheduler } from '../schedulers';
import type { Tensor } from '../tensor';
import { encodePrompts } from './conditioning';

export interface InversionOptions {
  prompt: string;
  steps: number;
  /** The earliest step the trajectory must reach back to. */
  untilStep: number;
  ctx: JobContext;
}

/** latents[i] = Z_i in DDIM's sample scale for untilStep <= i <= steps; undefined before untilStep. */
export async function ddimInvert(model: StableDiffusionModel, encoded: Tensor, options: InversionOptions): Promise<(Tensor | undefined)[]> {
  const { steps, untilStep, ctx } = options;
  if (!Number.isInteger(untilStep) || untilStep < 0 || untilStep > steps) {
    throw new RangeError(`Inversion can reach back to a step from 0 to ${steps}; got ${untilStep}.`);
  }
  const ddim = createScheduler('ddim', model.schedulerConfig);
  ddim.setTimesteps(steps);
  const [cond] = await encodePrompts(model, [options.prompt]);
  const latents: (Tensor | undefined)[] = new Array(steps + 1).fill(undefined);
  let sample = encoded;
  latents[steps] = encoded;
  for (let i = steps - 1; i >= untilStep; i--) {
    ctx.throwIfCancelled();
    const noisePrediction = await model.unet.predict(sample, ddim.timesteps[i], cond);
    sample = ddim.invertStep(noisePrediction, i, sample);
    latents[i] = sample;
    ctx.progress({ phase: 'invert', step: steps - i, total: steps - untilStep });
  }
  return latents;
}
