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

/** The smallest rectangle holding every non-zero pixel of an 8-bit mask, or undefined when it is empty. */
export function grayBounds(gray: GrayImage): Bounds | undefined {
  const { width, height, data } = gray;
  let left = width;
  let right = -1;
  let top = height;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let first = -1;
    for (let x = 0; x < width; x++) {
      if (data[row + x] !== 0) {
        first = x;
        break;
      }
    }
    if (first < 0) continue;
    let last = first;
    for (let x = width - 1; x > first; x--) {
      if (data[row + x] !== 0) {
        last = x;
        break;
      }
    }
    left = Math.min(left, first);
    right = Math.max(right, last);
    top = Math.min(top, y);
    bottom = y;
  }
  return right < 0 ? undefined : Bounds.fromEdges(left, top, right + 1, bottom + 1);
}

/**
 * Layers masks in order, as the layered-brush paper blends each layer onto the previous ones: the weight of
 * mask k is m_k times what the later masks leave uncovered, so a later mask wins where they overlap and the
 * weights never sum above 1. The union is the sum of the weights.
 */
export function layerWeights(masks: readonly MaskPlane[]): { weights: MaskPlane[]; union: MaskPlane } {
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
  const union = new Float32Array(size);
  for (let i = 0; i < size; i++) union[i] = 1 - uncovered[i];
  return { weights, union: { width, height, data: union } };
}
