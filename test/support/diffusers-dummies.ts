/**
 * Test-only: the fixtures of diffusers' tests/schedulers/test_schedulers.py (SchedulerCommonTest), so
 * its full-loop reference sums and means can be checked against our schedulers.
 */
import type { Tensor } from '../../companion-server/engine/tensor';

/** The (batch, channels, height, width) of diffusers' dummy samples. */
export const DUMMY_DIMS = [4, 3, 8, 8] as const;

/**
 * arange(N) (flipped for the noise), reshaped to (channels, height, width, batch), divided by N and
 * permuted to (batch, channels, height, width): element [b, c, h, w] is index(c, h, w, b) / N.
 */
function deterministic(flip: boolean): Tensor {
  const [batch, channels, height, width] = DUMMY_DIMS;
  const count = batch * channels * height * width;
  const data = new Float32Array(count);
  let out = 0;
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      for (let h = 0; h < height; h++) {
        for (let w = 0; w < width; w++) {
          const index = ((c * height + h) * width + w) * batch + b;
          data[out++] = (flip ? count - 1 - index : index) / count;
        }
      }
    }
  }
  return { data, dims: [...DUMMY_DIMS] };
}

/** dummy_sample_deter */
export const dummySampleDeter = (): Tensor => deterministic(false);
/** dummy_noise_deter */
export const dummyNoiseDeter = (): Tensor => deterministic(true);

/** dummy_model: sample * t / (t + 1), in float32 like torch (t cast to the sample's dtype). */
export function dummyModel(sample: Tensor, timestep: number): Tensor {
  const t = Math.fround(timestep);
  const denominator = Math.fround(t + 1);
  return { data: sample.data.map((x) => Math.fround(Math.fround(x * t) / denominator)), dims: [...sample.dims] };
}

/** torch.sum(torch.abs(sample)) and torch.mean(torch.abs(sample)), as diffusers' tests report them. */
export function absSumAndMean(sample: Tensor): { sum: number; mean: number } {
  const sum = sample.data.reduce((total, x) => total + Math.abs(x), 0);
  return { sum, mean: sum / sample.data.length };
}

/** diffusers' assertion `abs(actual - expected) < tolerance`, with a readable failure. */
export function expectWithin(actual: number, expected: number, tolerance: number): void {
  expect({ actual, within: Math.abs(actual - expected) < tolerance }).toEqual({ actual, within: true });
}
