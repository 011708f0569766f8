/**
 * Soft masks as float planes in [0, 1]: the form every mask operation works on, so feathering survives
 * every step (8-bit masks are converted once at the edge).
 */
import type { GrayImage } from '../jobs';
import { Bounds } from '../geometry';

export interface MaskPlane {
  readonly width: number;
  readonly height: number;
  /** Row-major coverage, 0 outside, 1 inside. */
  readonly data: Float32Array;
}

export function maskFromGray(gray: GrayImage): MaskPlane {
  const data = new Float32Array(gray.data.length);
  for (let i = 0; i < data.length; i++) data[i] = gray.data[i] / 255;
  return { width: gray.width, height: gray.height, data };
}

export function maskToGray(mask: MaskPlane): GrayImage {
  const data = new Uint8Array(mask.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(Math.min(1, Math.max(0, mask.data[i])) * 255);
  return { width: mask.width, height: mask.height, data };
}

/**
 * The smallest rectangle holding every non-zero pixel of an 8-bit mask, or undefined when it is empty.
 * Masks can be whole 8000x6000 documents, so empty rows are skipped four bytes at a time and the
 * columns are narrowed only within the rows between the first and last non-zero pixel.
 */
export function grayBounds(gray: GrayImage): Bounds | undefined {
  const { width, data } = gray;
  const first = firstNonZero(data);
  if (first < 0) return undefined;
  const last = lastNonZero(data);
  const top = Math.floor(first / width);
  const bottom = Math.floor(last / width);
  let left = first % width;
  let right = last % width;
  for (let y = top; y <= bottom; y++) {
    const row = y * width;
    for (let x = 0; x < left; x++) {
      if (data[row + x] !== 0) {
        left = x;
        break;
      }
    }
    for (let x = width - 1; x > right; x--) {
      if (data[row + x] !== 0) {
        right = x;
        break;
      }
    }
  }
  return Bounds.fromEdges(Math.min(left, right), top, Math.max(left, right) + 1, bottom + 1);
}

/** Mask bytes are compared with zeros a chunk at a time in native code (memcmp): a canvas mask can be 48 MB. */
const ZERO_CHUNK = new Uint8Array(64 * 1024);

function isZero(data: Uint8Array, start: number, end: number): boolean {
  return Buffer.compare(data.subarray(start, end), ZERO_CHUNK.subarray(0, end - start)) === 0;
}

function firstNonZero(data: Uint8Array): number {
  for (let start = 0; start < data.length; start += ZERO_CHUNK.length) {
    const end = Math.min(data.length, start + ZERO_CHUNK.length);
    if (isZero(data, start, end)) continue;
    for (let i = start; ; i++) if (data[i] !== 0) return i;
  }
  return -1;
}

function lastNonZero(data: Uint8Array): number {
  for (let end = data.length; end > 0; end -= ZERO_CHUNK.length) {
    const start = Math.max(0, end - ZERO_CHUNK.length);
    if (isZero(data, start, end)) continue;
    for (let i = end - 1; ; i--) if (data[i] !== 0) return i;
  }
  return -1;
}

/**
 * Layers masks in order, as the layered-brush paper blends each layer onto the previous ones: the weight of
 * mask k is m_k times what the later masks leave uncovered, so a later mask wins where they overlap and the
 * weights never sum above 1.
 */
export function layerWeights(masks: readonly MaskPlane[]): MaskPlane[] {
  const { width, height } = masks[0];
  const size = width * height;
  const uncovered = new Float32Array(size).fill(1);
  const weights: MaskPlane[] = new Array(masks.length);
  for (let k = masks.length - 1; k >= 0; k--) {
    const mask = masks[k];
    if (mask.width !== width || mask.height !== height) throw new Error('Masks in one edit must share a size.');
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      data[i] = mask.data[i] * uncovered[i];
      uncovered[i] -= data[i];
    }
    weights[k] = { width, height, data };
  }
  return weights;
}
