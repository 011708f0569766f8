/**
 * PNG and JPEG in and out through sharp (libvips): the only module that touches image files. Pixels come
 * out as 8-bit RGBA (images) or 8-bit grey (masks), whatever the file's depth or colour type.
 */
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import sharp from 'sharp';
import type { GrayImage, RgbaImage } from '../jobs';

export const IMAGE_FORMATS = ['png', 'jpeg'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];
/** JPEG quality for results: high, since they are layered back over the original. */
export const JPEG_QUALITY = 95;

/** An image file or its bytes -> RGBA. */
export async function decodeRgba(input: string | Uint8Array): Promise<RgbaImage> {
  const { data, info } = await open(input).ensureAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/**
 * A mask file -> grey coverage. Transparent pixels count as unselected (flattened onto black), so both
 * a greyscale mask and a white-on-transparent selection export work.
 */
export async function decodeGray(input: string | Uint8Array): Promise<GrayImage> {
  const { data, info } = await open(input)
    .flatten({ background: '#000000' })
    .toColourspace('b-w')
    .extractChannel(0)
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

export async function encodeRgba(image: RgbaImage, format: ImageFormat): Promise<Uint8Array> {
  const pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } });
  const buffer = format === 'png' ? await pipeline.png().toBuffer() : await pipeline.flatten().jpeg({ quality: JPEG_QUALITY }).toBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}

/** The format a path's extension names; throws for anything but .png, .jpg and .jpeg. */
export function formatOfPath(path: string): ImageFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.png') return 'png';
  if (ext === '.jpg' || ext === '.jpeg') return 'jpeg';
  throw new RangeError(`Cannot write "${path}": use a .png, .jpg or .jpeg file name.`);
}

export async function writeImageFile(path: string, image: RgbaImage): Promise<void> {
  await writeFile(path, await encodeRgba(image, formatOfPath(path)));
}

function open(input: string | Uint8Array) {
  // Large documents are the point of the context crop; lift libvips' default pixel limit for them.
  return sharp(input, { limitInputPixels: false });
}
