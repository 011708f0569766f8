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

/** The bytes of `data` as whole 32-bit words: [start, end) byte range covered by `words`. */
function alignedWords(data: Uint8Array): { words: Uint32Array; start: number; end: number } {
  const start = Math.min(data.length, (4 - (data.byteOffset % 4)) % 4);
  const count = Math.floor((data.length - start) / 4);
  return { words: new Uint32Array(data.buffer, data.byteOffset + start, count), start, end: start + count * 4 };
}

function firstNonZero(data: Uint8Array): number {
  const { words, start, end } = alignedWords(data);
  for (let i = 0; i < start; i++) if (data[i] !== 0) return i;
  for (let w = 0; w < words.length; w++) {
    if (words[w] === 0) continue;
    for (let i = start + w * 4; ; i++) if (data[i] !== 0) return i;
  }
  for (let i = end; i < data.length; i++) if (data[i] !== 0) return i;
  return -1;
}

function lastNonZero(data: Uint8Array): number {
  const { words, start, end } = alignedWords(data);
  for (let i = data.length - 1; i >= end; i--) if (data[i] !== 0) return i;
  for (let w = words.length - 1; w >= 0; w--) {
    if (words[w] === 0) continue;
    for (let i = start + w * 4 + 3; ; i--) if (data[i] !== 0) return i;
  }
  for (let i = start - 1; i >= 0; i--) if (data[i] !== 0) return i;
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
