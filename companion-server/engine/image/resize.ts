/** Resampling of RGBA images between the context crop's pixels and the model's processing size. */
import sharp from 'sharp';
import type { RgbaImage } from '../jobs';

/** Lanczos-3 resampling to exactly width x height (aspect ratio as given). Returns the image itself when sizes match. */
export async function resizeRgba(image: RgbaImage, width: number, height: number): Promise<RgbaImage> {
  if (image.width === width && image.height === height) return image;
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}
