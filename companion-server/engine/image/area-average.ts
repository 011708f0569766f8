/**
 * Downsampling by exact area averaging: each output cell is the mean of the source pixels it covers,
 * fractional pixels weighted by their covered fraction. Masks go to latent resolution this way so a soft
 * edge stays soft and a thin stroke keeps its share of a cell (nearest or bilinear sampling would drop it).
 */
import type { MaskPlane } from './mask-plane';

/** `plane` values are divided by `unit` (255 reads an 8-bit mask directly as coverage in [0, 1]). */
export function areaAverage(plane: { width: number; height: number; data: ArrayLike<number> }, width: number, height: number, unit = 1): MaskPlane {
  const rows = axisWeights(plane.width, width);
  const cols = axisWeights(plane.height, height);
  // Horizontal pass: [plane.height][width].
  const horizontal = new Float32Array(plane.height * width);
  for (let y = 0; y < plane.height; y++) {
    const src = y * plane.width;
    for (let x = 0; x < width; x++) {
      const { start, weights } = rows[x];
      let sum = 0;
      for (let k = 0; k < weights.length; k++) sum += plane.data[src + start + k] * weights[k];
      horizontal[y * width + x] = sum;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const { start, weights } = cols[y];
    for (let k = 0; k < weights.length; k++) {
      const src = (start + k) * width;
      const w = weights[k] / unit;
      for (let x = 0; x < width; x++) out[y * width + x] += horizontal[src + x] * w;
    }
  }
  return { width, height, data: out };
}

interface AxisCell {
  start: number;
  /** Normalised weights of source pixels start, start + 1, ... */
  weights: Float64Array;
}

function axisWeights(sourceSize: number, targetSize: number): AxisCell[] {
  const span = sourceSize / targetSize;
  return Array.from({ length: targetSize }, (_, j) => {
    const from = j * span;
    const to = (j + 1) * span;
    const start = Math.floor(from);
    const end = Math.min(sourceSize, Math.ceil(to));
    const weights = new Float64Array(end - start);
    for (let i = start; i < end; i++) weights[i - start] = (Math.min(to, i + 1) - Math.max(from, i)) / span;
    return { start, weights };
  });
}
