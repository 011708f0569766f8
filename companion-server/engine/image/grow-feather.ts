/**
 * Grow and feather for the mask that drives the diffusion (anchors.md: a transition band avoids seams).
 * Both keep soft masks soft: grow is a grey-level dilation (max filter), feather a blur, so an 8-bit
 * feathered selection is widened and softened, never thresholded. Both are separable and O(pixels)
 * whatever the radius, because crops can be thousands of pixels wide.
 */
import type { MaskPlane } from './mask-plane';

/** Dilates by `pixels` with a square structuring element. */
export function growMask(mask: MaskPlane, pixels: number): MaskPlane {
  const radius = Math.round(pixels);
  if (radius <= 0) return mask;
  return separable(mask, (line, out) => slidingMax(line, out, radius));
}

/**
 * Blurs with a Gaussian of sigma = pixels / 2 (so the soft band reaches about `pixels` either side of the
 * edge), approximated by three box blurs (Wells 1986; box sizes after Kutskir's "boxes for Gauss").
 */
export function featherMask(mask: MaskPlane, pixels: number): MaskPlane {
  if (pixels <= 0) return mask;
  const [first, second, third] = boxRadiiForGauss(pixels / 2, 3);
  return separable(mask, (line, out) => {
    boxBlur(line, out, first);
    boxBlur(out, line, second);
    boxBlur(line, out, third);
  });
}

/** Filters `line` into `out`; `line` is a scratch copy the filter may overwrite. */
type LineFilter = (line: Float32Array, out: Float32Array) => void;

function separable(mask: MaskPlane, filter: LineFilter): MaskPlane {
  const { width, height } = mask;
  const data = new Float32Array(mask.data);
  const row = new Float32Array(width);
  const rowOut = new Float32Array(width);
  for (let y = 0; y < height; y++) {
    row.set(data.subarray(y * width, (y + 1) * width));
    filter(row, rowOut);
    data.set(rowOut, y * width);
  }
  const column = new Float32Array(height);
  const columnOut = new Float32Array(height);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) column[y] = data[y * width + x];
    filter(column, columnOut);
    for (let y = 0; y < height; y++) data[y * width + x] = columnOut[y];
  }
  return { width, height, data };
}

/** out[i] = max(line[i - r .. i + r]) within the line, with a monotonic queue of candidate indices. */
function slidingMax(line: Float32Array, out: Float32Array, radius: number): void {
  const n = line.length;
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let j = 0; j < n + radius; j++) {
    if (j < n) {
      while (tail > head && line[queue[tail - 1]] <= line[j]) tail--;
      queue[tail++] = j;
    }
    const i = j - radius;
    if (i < 0) continue;
    while (queue[head] < i - radius) head++;
    out[i] = line[queue[head]];
  }
}

/** Mean over line[i - r .. i + r], edges extended with the border value. */
function boxBlur(line: Float32Array, out: Float32Array, radius: number): void {
  const n = line.length;
  const at = (i: number) => line[Math.min(n - 1, Math.max(0, i))];
  const size = 2 * radius + 1;
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += at(i);
  for (let i = 0; i < n; i++) {
    out[i] = sum / size;
    sum += at(i + radius + 1) - at(i - radius);
  }
}

function boxRadiiForGauss(sigma: number, count: number): number[] {
  const ideal = Math.sqrt((12 * sigma * sigma) / count + 1);
  let lower = Math.floor(ideal);
  if (lower % 2 === 0) lower--;
  const upper = lower + 2;
  const lowerCount = Math.round((12 * sigma * sigma - count * lower * lower - 4 * count * lower - 3 * count) / (-4 * lower - 4));
  return Array.from({ length: count }, (_, i) => ((i < lowerCount ? lower : upper) - 1) / 2);
}
