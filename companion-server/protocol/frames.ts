/**
 * Binary frames: pixels travel as one WebSocket binary message per image, a fixed 24-byte header
 * followed by the pixels, row-major, no padding. All integers little-endian.
 *
 *   offset size field
 *   0      4    magic "DBRF" (0x44 0x42 0x52 0x46)
 *   4      1    frame layout version (FRAME_LAYOUT_VERSION)
 *   5      1    kind: 1 upload (client -> server), 2 preview, 3 result
 *   6      1    pixel format: 1 rgba8 (4 bytes a pixel), 2 gray8 (1 byte a pixel)
 *   7      1    reserved, 0
 *   8      4    request id (u32): the JSON request the image belongs to
 *   12     4    image id (u32): the id the JSON message uses to reference the image
 *   16     4    width (u32)
 *   20     4    height (u32)
 *   24     ...  width * height * bytes-a-pixel bytes of pixels
 *
 * Only ArrayBuffer / Uint8Array / DataView here: the Photoshop panel imports this module too.
 */
import { FRAME_HEADER_BYTES, MAX_IMAGE_SIDE } from './limits';

const FRAME_MAGIC = [0x44, 0x42, 0x52, 0x46] as const;
/** Changes only if the header layout changes. */
export const FRAME_LAYOUT_VERSION = 1;

export const FRAME_KINDS = ['upload', 'preview', 'result'] as const;
export type FrameKind = (typeof FRAME_KINDS)[number];

export const PIXEL_FORMATS = ['rgba8', 'gray8'] as const;
export type PixelFormat = (typeof PIXEL_FORMATS)[number];

const BYTES_PER_PIXEL: Record<PixelFormat, number> = { rgba8: 4, gray8: 1 };

export interface FrameHeader {
  kind: FrameKind;
  format: PixelFormat;
  requestId: number;
  imageId: number;
  width: number;
  height: number;
}

export interface ImageFrame extends FrameHeader {
  /** A view into the frame's bytes (no copy). */
  pixels: Uint8Array;
}

export type FrameDecodeResult = { ok: true; frame: ImageFrame } | { ok: false; problem: string };

export function pixelByteLength(format: PixelFormat, width: number, height: number): number {
  return width * height * BYTES_PER_PIXEL[format];
}

/** Header and pixels in one new buffer, ready for `WebSocket.send`. */
export function encodeFrame(header: FrameHeader, pixels: Uint8Array): Uint8Array {
  const expected = pixelByteLength(header.format, header.width, header.height);
  if (pixels.byteLength !== expected) {
    throw new RangeError(
      `A ${header.width}x${header.height} ${header.format} frame needs ${expected} bytes of pixels, got ${pixels.byteLength}.`,
    );
  }
  const bytes = new Uint8Array(FRAME_HEADER_BYTES + expected);
  const view = new DataView(bytes.buffer);
  bytes.set(FRAME_MAGIC, 0);
  view.setUint8(4, FRAME_LAYOUT_VERSION);
  view.setUint8(5, FRAME_KINDS.indexOf(header.kind) + 1);
  view.setUint8(6, PIXEL_FORMATS.indexOf(header.format) + 1);
  view.setUint8(7, 0);
  view.setUint32(8, header.requestId, true);
  view.setUint32(12, header.imageId, true);
  view.setUint32(16, header.width, true);
  view.setUint32(20, header.height, true);
  bytes.set(pixels, FRAME_HEADER_BYTES);
  return bytes;
}

/** Reads and checks a frame; never throws, whatever the bytes. */
export function decodeFrame(data: ArrayBuffer | Uint8Array): FrameDecodeResult {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.byteLength < FRAME_HEADER_BYTES) {
    return { ok: false, problem: `A frame needs at least ${FRAME_HEADER_BYTES} header bytes, got ${bytes.byteLength}.` };
  }
  if (FRAME_MAGIC.some((byte, i) => bytes[i] !== byte)) {
    return { ok: false, problem: 'The frame does not start with the magic bytes "DBRF".' };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, FRAME_HEADER_BYTES);
  const version = view.getUint8(4);
  if (version !== FRAME_LAYOUT_VERSION) {
    return { ok: false, problem: `Frame layout version ${version} is not supported; this companion reads version ${FRAME_LAYOUT_VERSION}.` };
  }
  const kind = FRAME_KINDS[view.getUint8(5) - 1];
  if (kind === undefined) return { ok: false, problem: `Frame kind ${view.getUint8(5)} is unknown; use 1 (upload).` };
  const format = PIXEL_FORMATS[view.getUint8(6) - 1];
  if (format === undefined) {
    return { ok: false, problem: `Pixel format ${view.getUint8(6)} is unknown; use 1 (rgba8) or 2 (gray8).` };
  }
  const width = view.getUint32(16, true);
  const height = view.getUint32(20, true);
  if (width < 1 || height < 1 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    return { ok: false, problem: `Image size ${width}x${height} is outside 1..${MAX_IMAGE_SIDE} on each side.` };
  }
  const expected = pixelByteLength(format, width, height);
  const actual = bytes.byteLength - FRAME_HEADER_BYTES;
  if (actual !== expected) {
    return { ok: false, problem: `A ${width}x${height} ${format} image needs ${expected} bytes of pixels, the frame has ${actual}.` };
  }
  return {
    ok: true,
    frame: {
      kind,
      format,
      requestId: view.getUint32(8, true),
      imageId: view.getUint32(12, true),
      width,
      height,
      pixels: bytes.subarray(FRAME_HEADER_BYTES),
    },
  };
}
