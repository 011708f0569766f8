/**
 * Fits the preview's linear latent -> RGB map against the model's own VAE decoder by least squares:
 * take latents of the kind the decoder sees (the encodings of smooth random colour fields, or smooth
 * random latents for a model without an encoder), decode them, average each decoded 8x8 block to one
 * colour, and solve the normal equations for rgb = W z + b. Run once per model; the result lives in
 * the model folder.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StableDiffusionModel } from '../model/components';
import { encodeImages } from '../pipeline/vae';
import { GaussianRandom } from '../random';
import type { RgbaImage } from '../jobs';
import type { Tensor } from '../tensor';
import { LATENT_RGB_FILE, isLatentRgbCoefficients, type LatentRgbCoefficients } from './latent-rgb';

/** Latent grid of the fitting samples (cells a side) and how many to decode. */
const FIT_LATENT_SIDE = 16;
const FIT_SAMPLES = 4;
/** Cells between the random control points of the smooth latents (images are smooth at this scale). */
const FIT_SMOOTHNESS = 4;
const FIT_SEED = 20240601;

export async function fitLatentRgb(model: StableDiffusionModel): Promise<LatentRgbCoefficients> {
  const channels = model.latentChannels;
  const factor = model.vaeScaleFactor;
  const random = new GaussianRandom(FIT_SEED);
  const features = channels + 1;
  const normal = new Float64Array(features * features);
  const rhs = Array.from({ length: 3 }, () => new Float64Array(features));
  for (let s = 0; s < FIT_SAMPLES; s++) {
    const latents = model.vaeEncoder
      ? await encodeImages(model, [colourField(smoothField(random, 3, FIT_LATENT_SIDE * factor, FIT_SMOOTHNESS * factor))])
      : smoothField(random, channels, FIT_LATENT_SIDE, FIT_SMOOTHNESS);
    const image = await model.vaeDecoder.decode(latents);
    const side = FIT_LATENT_SIDE;
    const pixelSide = side * factor;
    const cell = new Float64Array(features);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        for (let k = 0; k < channels; k++) cell[k] = latents.data[k * side * side + y * side + x];
        cell[channels] = 1;
        for (let i = 0; i < features; i++) for (let j = 0; j < features; j++) normal[i * features + j] += cell[i] * cell[j];
        for (let c = 0; c < 3; c++) {
          let mean = 0;
          for (let dy = 0; dy < factor; dy++) {
            for (let dx = 0; dx < factor; dx++) mean += image.data[c * pixelSide * pixelSide + (y * factor + dy) * pixelSide + x * factor + dx];
          }
          mean /= factor * factor;
          for (let i = 0; i < features; i++) rhs[c][i] += cell[i] * mean;
        }
      }
    }
  }
  const solutions = rhs.map((b) => solve(normal, b, features));
  return {
    weights: solutions.map((w) => Array.from(w.subarray(0, channels))),
    bias: solutions.map((w) => w[channels]),
    fittedOn: `${FIT_SAMPLES} ${model.vaeEncoder ? 'encoded smooth random colour fields' : 'smooth random latents'} of ${FIT_LATENT_SIDE}x${FIT_LATENT_SIDE} cells, decoded by ${model.id}'s VAE (least squares)`,
  };
}

/**
 * The model folder's latent_rgb.json, or a fresh fit when it is absent (then written there if the
 * folder is writable, so the fit happens once).
 */
export async function latentRgbFor(model: StableDiffusionModel): Promise<LatentRgbCoefficients> {
  const path = join(model.directory, LATENT_RGB_FILE);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text !== undefined) {
    // Broken JSON gets the same sentence as a wrong shape, not a bare SyntaxError.
    const stored = parseJson(text);
    if (isLatentRgbCoefficients(stored, model.latentChannels)) return stored;
    throw new Error(`${path} is not a valid preview fit for ${model.latentChannels} latent channels; delete it to refit.`);
  }
  const fitted = await fitLatentRgb(model);
  await writeFile(path, `${JSON.stringify(fitted, null, 2)}\n`).catch(() => undefined);
  return fitted;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Gaussian control points every `spacing` cells, bilinearly interpolated: [1, channels, side, side] with image-like smoothness. */
function smoothField(random: GaussianRandom, channels: number, side: number, spacing: number): Tensor {
  const points = Math.ceil(side / spacing) + 1;
  const data = new Float32Array(channels * side * side);
  for (let k = 0; k < channels; k++) {
    const grid = random.fill(new Float32Array(points * points));
    const at = (yy: number, xx: number) => grid[yy * points + xx];
    for (let y = 0; y < side; y++) {
      const y0 = Math.floor(y / spacing);
      const fy = y / spacing - y0;
      for (let x = 0; x < side; x++) {
        const x0 = Math.floor(x / spacing);
        const fx = x / spacing - x0;
        data[k * side * side + y * side + x] =
          (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) + fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
      }
    }
  }
  return { data, dims: [1, channels, side, side] };
}

/** A [1, 3, H, W] field of about unit variance -> an opaque RGBA image (mid-grey +- 2 sigma). */
function colourField(field: Tensor): RgbaImage {
  const [, , height, width] = field.dims;
  const plane = width * height;
  const data = new Uint8Array(plane * 4);
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++) data[p * 4 + c] = Math.round(Math.min(255, Math.max(0, 127.5 + 64 * field.data[c * plane + p])));
    data[p * 4 + 3] = 255;
  }
  return { width, height, data };
}

/** Solves the symmetric system A x = b by Gaussian elimination with partial pivoting (n is 5). */
function solve(matrix: Float64Array, b: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(matrix);
  const x = Float64Array.from(b);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]) > Math.abs(a[pivot * n + col])) pivot = r;
    for (let c = 0; c < n; c++) [a[col * n + c], a[pivot * n + c]] = [a[pivot * n + c], a[col * n + c]];
    [x[col], x[pivot]] = [x[pivot], x[col]];
    for (let r = col + 1; r < n; r++) {
      const f = a[r * n + col] / a[col * n + col];
      for (let c = col; c < n; c++) a[r * n + c] -= f * a[col * n + c];
      x[r] -= f * x[col];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let sum = x[r];
    for (let c = r + 1; c < n; c++) sum -= a[r * n + c] * x[c];
    x[r] = sum / a[r * n + r];
  }
  return x;
}
