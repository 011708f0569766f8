/**
 * Cheap previews: the VAE decoder replaced by one linear map per latent cell, rgb = W z + b, applied to the
 * current prediction of the final latent (x0). An 8x smaller image than the decode, for a few
 * multiply-adds a cell: small enough to stream every k steps.
 */
import type { RgbaImage } from '../jobs';
import { signedUnitToByte } from '../pipeline/image-tensor';
import type { Tensor } from '../tensor';

/** The coefficients as stored in the model folder (latent_rgb.json). Output range: the VAE's [-1, 1]. */
export interface LatentRgbCoefficients {
  /** 3 rows (R, G, B) of latentChannels weights each. */
  weights: number[][];
  bias: number[];
  /** How they were obtained, for the curious reader of the JSON. */
  fittedOn?: string;
}

export const LATENT_RGB_FILE = 'latent_rgb.json';

/** Row `row` of [batch, C, h, w] scaled latents -> an opaque RGBA image of h x w pixels. */
export function latentPreview(latents: Tensor, coefficients: LatentRgbCoefficients, row = 0): RgbaImage {
  const [, channels, height, width] = latents.dims;
  if (coefficients.weights.some((weights) => weights.length !== channels)) {
    throw new Error(`The preview coefficients take ${coefficients.weights[0].length} latent channels, not ${channels}; refit ${LATENT_RGB_FILE} for this model.`);
  }
  const plane = width * height;
  const base = row * channels * plane;
  const data = new Uint8Array(plane * 4);
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++) {
      let value = coefficients.bias[c];
      for (let k = 0; k < channels; k++) value += coefficients.weights[c][k] * latents.data[base + k * plane + p];
      data[p * 4 + c] = signedUnitToByte(value);
    }
    data[p * 4 + 3] = 255;
  }
  return { width, height, data };
}

export function isLatentRgbCoefficients(value: unknown, channels: number): value is LatentRgbCoefficients {
  const v = value as LatentRgbCoefficients;
  return (
    !!v &&
    Array.isArray(v.weights) &&
    v.weights.length === 3 &&
    v.weights.every((row) => Array.isArray(row) && row.length === channels && row.every(Number.isFinite)) &&
    Array.isArray(v.bias) &&
    v.bias.length === 3 &&
    v.bias.every(Number.isFinite)
  );
}
