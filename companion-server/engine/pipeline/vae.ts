/** Pixels <-> latents through the model's VAE. */
import type { RgbaImage } from '../jobs';
import type { StableDiffusionModel } from '../model/components';
import type { Tensor } from '../tensor';
import { imagesToTensor, tensorToImages } from './image-tensor';

/** Images (one size, multiples of the VAE factor) -> scaled latents [batch, 4, H/8, W/8]. */
export async function encodeImages(model: StableDiffusionModel, images: readonly RgbaImage[]): Promise<Tensor> {
  if (!model.vaeEncoder) {
    throw new Error(
      `Model ${model.id} has no vae_encoder, so it cannot edit images it did not generate. ` +
        'Export the model with its VAE encoder (optimum exports include vae_encoder/model.onnx).',
    );
  }
  const { width, height } = images[0];
  assertVaeMultiple(model, width, height);
  return model.vaeEncoder.encode(imagesToTensor(images));
}

/** Scaled latents -> one image per batch row. */
export async function decodeLatents(model: StableDiffusionModel, latents: Tensor): Promise<RgbaImage[]> {
  return tensorToImages(await model.vaeDecoder.decode(latents));
}

export function assertVaeMultiple(model: StableDiffusionModel, width: number, height: number): void {
  const factor = model.vaeScaleFactor;
  if (!Number.isInteger(width / factor) || !Number.isInteger(height / factor) || width <= 0 || height <= 0) {
    throw new RangeError(`Image size ${width}x${height} must be positive multiples of ${factor}; crop or resize it to e.g. ${roundTo(width, factor)}x${roundTo(height, factor)}.`);
  }
}

function roundTo(value: number, factor: number): number {
  return Math.max(factor, Math.round(value / factor) * factor);
}
