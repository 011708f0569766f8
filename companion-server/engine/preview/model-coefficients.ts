/** Preview coefficients per loaded model, loaded (or fitted) once and shared by every job kind. */
import type { StableDiffusionModel } from '../model/components';
import { latentRgbFor } from './fit-latent-rgb';
import type { LatentRgbCoefficients } from './latent-rgb';

const coefficientsByModel = new WeakMap<StableDiffusionModel, Promise<LatentRgbCoefficients>>();

export function coefficientsFor(model: StableDiffusionModel): Promise<LatentRgbCoefficients> {
  let pending = coefficientsByModel.get(model);
  if (!pending) {
    pending = latentRgbFor(model);
    coefficientsByModel.set(model, pending);
  }
  return pending;
}
