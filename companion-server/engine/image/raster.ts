/** Pure pixel moves on 8-bit images: crop, and the final composite through the layer mask. */
import type { GrayImage, RgbaImage } from '../jobs';
import type { RectLike } from '../geometry';

/**
 * Copies `rect` (in the image's own pixels, inside it) out of an image with `channels` bytes a pixel;
 * a rect covering the whole image returns the image itself (images are never mutated).
 */
export function cropPixels<T extends RgbaImage | GrayImage>(image: T, rect: RectLike, channels: 1 | 4): T {
  if (rect.left === 0 && rect.top === 0 && rect.width === image.width && rect.height === image.height) return image;
  if (rect.left < 0 || rect.top < 0 || rect.left + rect.width > image.width || rect.top + rect.height > image.height) {
    throw new RangeError(`Crop ${rect.width}x${rect.height} at (${rect.left}, ${rect.top}) lies outside the ${image.width}x${image.height} image.`);
  }
  const data = new Uint8Array(rect.width * rect.height * channels);
  const rowBytes = rect.width * channels;
  for (let y = 0; y < rect.height; y++) {
    const from = ((rect.top + y) * image.width + rect.left) * channels;
    data.set(image.data.subarray(from, from + rowBytes), y * rowBytes);
  }
  return { width: rect.width, height: rect.height, data } as T;
}

/**
 * What Photoshop shows for a result layer over its source: edited * m + source * (1 - m), per channel,
 * with the source's alpha. Where the mask is 0 the source's bytes come through unchanged.
 */
export function compositeThroughMask(source: RgbaImage, edited: RgbaImage, mask: GrayImage): RgbaImage {
  if (source.width !== edited.width || source.height !== edited.height || mask.width !== source.width || mask.height !== source.height) {
    throw new Error(
      `Composite needs one size: source ${source.width}x${source.height}, edit ${edited.width}x${edited.height}, mask ${mask.width}x${mask.height}.`,
    );
  }
  const data = new Uint8Array(source.data);
  for (let p = 0; p < mask.data.length; p++) {
    const m = mask.data[p];
    if (m === 0) continue;
    for (let c = 0; c < 3; c++) {
      const i = p * 4 + c;
      data[i] = Math.round((edited.data[i] * m + source.data[i] * (255 - m)) / 255);
    }
  }
  return { width: source.width, height: source.height, data };
}

/** Writes `patch` into a copy of `canvas` with its top-left at (left, top); the patch must fit. */
export function pastePixels(canvas: RgbaImage, patch: RgbaImage, left: number, top: number): RgbaImage {
  if (left < 0 || top < 0 || left + patch.width > canvas.width || top + patch.height > canvas.height) {
    throw new RangeError(`A ${patch.width}x${patch.height} patch at (${left}, ${top}) does not fit the ${canvas.width}x${canvas.height} image.`);
  }
  const data = new Uint8Array(canvas.data);
  const rowBytes = patch.width * 4;
  for (let y = 0; y < patch.height; y++) {
    data.set(patch.data.subarray(y * rowBytes, (y + 1) * rowBytes), ((top + y) * canvas.width + left) * 4);
  }
  return { width: canvas.width, height: canvas.height, data };
}

/**
 * A copy of `base` whose colour is taken from `patch` (placed with its top-left at `at`) wherever `mask`
 * (base's size) is non-zero; everywhere else, and the alpha channel, keep base's exact bytes.
 */
export function replaceWhereMasked(base: RgbaImage, patch: RgbaImage, mask: GrayImage, at: { left: number; top: number }): RgbaImage {
  if (mask.width !== base.width || mask.height !== base.height || at.left < 0 || at.top < 0 || at.left + patch.width > base.width || at.top + patch.height > base.height) {
    throw new RangeError(`A ${patch.width}x${patch.height} patch at (${at.left}, ${at.top}) with a ${mask.width}x${mask.height} mask does not fit the ${base.width}x${base.height} image.`);
  }
  const data = new Uint8Array(base.data);
  for (let y = 0; y < patch.height; y++) {
    const row = (at.top + y) * base.width + at.left;
    for (let x = 0; x < patch.width; x++) {
      if (mask.data[row + x] === 0) continue;
      const to = (row + x) * 4;
      const from = (y * patch.width + x) * 4;
      data[to] = patch.data[from];
      data[to + 1] = patch.data[from + 1];
      data[to + 2] = patch.data[from + 2];
    }
  }
  return { width: base.width, height: base.height, data };
}
