/** Conversions between 8-bit RGBA images and the VAE's [-1, 1] float tensors. */
import type { RgbaImage } from '../jobs';
import type { Tensor } from '../tensor';

/** Images of one size -> [batch, 3, H, W] in [-1, 1]; alpha is ignored. */
export function imagesToTensor(images: readonly RgbaImage[]): Tensor {
  const { width, height } = images[0];
  const plane = width * height;
  const data = new Float32Array(images.length * 3 * plane);
  images.forEach((image, b) => {
    if (image.width !== width || image.height !== height) {
      throw new Error(`Images in one batch must share a size: ${image.width}x${image.height} vs ${width}x${height}.`);
    }
    const base = b * 3 * plane;
    for (let p = 0; p < plane; p++) {
      for (let c = 0; c < 3; c++) data[base + c * plane + p] = image.data[p * 4 + c] / 127.5 - 1;
    }
  });
  return { data, dims: [images.length, 3, height, width] };
}

/** [batch, 3, H, W] in [-1, 1] -> opaque RGBA images (values clamped). */
export function tensorToImages(t: Tensor): RgbaImage[] {
  const [batch, channels, height, width] = t.dims;
  if (channels !== 3) throw new Error(`Expected an RGB tensor, got ${channels} channels.`);
  const plane = width * height;
  return Array.from({ length: batch }, (_, b) => {
    const data = new Uint8Array(plane * 4);
    const base = b * 3 * plane;
    for (let p = 0; p < plane; p++) {
      for (let c = 0; c < 3; c++) data[p * 4 + c] = signedUnitToByte(t.data[base + c * plane + p]);
      data[p * 4 + 3] = 255;
    }
    return { width, height, data };
  });
}

/** A value of the VAE's [-1, 1] range as an 8-bit channel (clamped). */
export function signedUnitToByte(value: number): number {
  return Math.round(Math.min(1, Math.max(0, (value + 1) / 2)) * 255);
}
