/** Resampling of RGBA images between the context crop's pixels and the model's processing size. */
import sharp from 'sharp';
import type { RectLike } from '../geometry';
import type { RgbaImage } from '../jobs';

/**
 * Lanczos-3 resampling to exactly width x height (aspect ratio as given), or only the `region` of that
 * result: libvips computes on demand, so a small region of a large upscale costs only its own pixels.
 * Returns the image itself when nothing changes.
 */
export async function resizeRgba(image: RgbaImage, width: number, height: number, region?: RectLike): Promise<RgbaImage> {
  const whole = !region || (region.left === 0 && region.top === 0 && region.width === width && region.height === height);
  if (image.width === width && image.height === height && whole) return image;
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } }).resize(width, height, { fit: 'fill', kernel: 'lanczos3' });
  if (!whole) pipeline = pipeline.extract(region);
  const data = await pipeline.raw().toBuffer();
  const size = whole ? { width, height } : { width: region.width, height: region.height };
  return { ...size, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}
