/** Pure pixel rearrangements between Photoshop's layouts and the engine's RGBA / gray images. */
import type { GrayImage, RgbaImage } from '../../companion-server/engine/jobs';
import type { PixelRect } from './geometry';

export type { GrayImage, RgbaImage };

/** Chunky RGB or RGBA (8-bit) to RGBA; missing alpha means opaque. */
export function toRgba(data: Uint8Array, width: number, height: number, components: number): RgbaImage {
  if (components === 4) return { width, height, data };
  if (components !== 3) {
    throw new Error(`Expected RGB pixels (3 or 4 components), got ${components}. Convert the document to RGB mode (Image > Mode > RGB Color).`);
  }
  const out = new Uint8Array(width * height * 4);
  for (let p = 0, q = 0; p < data.length; p += 3, q += 4) {
    out[q] = data[p];
    out[q + 1] = data[p + 1];
    out[q + 2] = data[p + 2];
    out[q + 3] = 255;
  }
  return { width, height, data: out };
}

/** RGBA to RGB, for JPEG previews (Photoshop's encoder takes RGB only). */
export function dropAlpha(image: RgbaImage): Uint8Array {
  const out = new Uint8Array(image.width * image.height * 3);
  for (let p = 0, q = 0; q < out.length; p += 4, q += 3) {
    out[q] = image.data[p];
    out[q + 1] = image.data[p + 1];
    out[q + 2] = image.data[p + 2];
  }
  return out;
}

/** A gray image as RGB, because UXP's <img> does not show grayscale pictures. */
export function grayToRgb(image: GrayImage): Uint8Array {
  const out = new Uint8Array(image.width * image.height * 3);
  for (let i = 0; i < image.data.length; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = image.data[i];
  return out;
}

/**
 * Copies a gray image that sits at `from` (canvas pixels) into a new image covering `grid`;
 * whatever of `grid` the image does not cover is 0 (unselected).
 */
export function placeGray(image: GrayImage, from: PixelRect, grid: PixelRect): GrayImage {
  const out = new Uint8Array(grid.width * grid.height);
  const x0 = Math.max(from.left, grid.left), x1 = Math.min(from.left + from.width, grid.left + grid.width);
  const y0 = Math.max(from.top, grid.top), y1 = Math.min(from.top + from.height, grid.top + grid.height);
  for (let y = y0; y < y1; y++) {
    const src = (y - from.top) * image.width + (x0 - from.left);
    out.set(image.data.subarray(src, src + Math.max(0, x1 - x0)), (y - grid.top) * grid.width + (x0 - grid.left));
  }
  return { width: grid.width, height: grid.height, data: out };
}

/** Nearest-neighbour downscale so the longest side is at most `maxSide`: thumbnails and no more. */
export function shrinkGray(image: GrayImage, maxSide: number): GrayImage {
  const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(image.height - 1, Math.floor(y / scale));
    for (let x = 0; x < width; x++) out[y * width + x] = image.data[sy * image.width + Math.min(image.width - 1, Math.floor(x / scale))];
  }
  return { width, height, data: out };
}

/** True when no pixel is selected at all (a selection can be all but transparent after feathering). */
export function isEmptyMask(image: GrayImage): boolean {
  return image.data.every((v) => v === 0);
}
