/**
 * Test-only: the fixtures of diffusers' tests/schedulers/test_schedulers.py (SchedulerCommonTest), so
 * its full-loop reference sums and means can be checked against our schedulers.
 */
import type { Scheduler } from '../../companion-server/engine/schedulers';
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

/**
 * diffusers' full-loop checks: abs(torch.sum(torch.abs(sample)) - sum) < tolerance.sum, the same for
 * the mean; `sum` is left out where diffusers checks the mean only. A failure shows the actual values.
 */
export function expectAbsSumAndMean(sample: Tensor, expected: { sum?: number; mean: number }, tolerance = { sum: 1e-2, mean: 1e-3 }): void {
  const sum = sample.data.reduce((total, x) => total + Math.abs(x), 0);
  const mean = sum / sample.data.length;
  const within = {
    sum: expected.sum === undefined || Math.abs(sum - expected.sum) < tolerance.sum,
    mean: Math.abs(mean - expected.mean) < tolerance.mean,
  };
  expect({ sum, mean, within }).toEqual({ sum, mean, within: { sum: true, mean: true } });
}

export interface DiffusersLoopOptions {
  /** Start at this step after add_noise(dummy_sample, dummy_noise_deter) (diffusers' test_full_loop_with_noise). */
  start?: number;
  /** Scale the initial sample by initNoiseSigma and step the scaled model input, as the Euler tests' loops do. */
  eulerStyle?: boolean;
  /** The noise of a stochastic step, drawn in the order diffusers' generator draws it. */
  noiseAt?: (stepIndex: number) => Tensor | undefined;
}

/** The full denoising loop of diffusers' scheduler tests, with dummy_model, over the whole schedule. */
export function diffusersLoop(scheduler: Scheduler, options: DiffusersLoopOptions = {}): Tensor {
  const { start = 0, eulerStyle = false, noiseAt } = options;
  let sample = dummySampleDeter();
  if (eulerStyle) sample = { data: sample.data.map((x) => x * scheduler.initNoiseSigma), dims: sample.dims };
  if (start > 0) sample = scheduler.addNoise(sample, dummyNoiseDeter(), start);
  for (let i = start; i < scheduler.timesteps.length; i++) {
    const modelInput = scheduler.scaleModelInput(sample, i);
    if (eulerStyle) sample = modelInput;
    sample = scheduler.step(dummyModel(modelInput, scheduler.timesteps[i]), i, sample, { noise: noiseAt?.(i) }).prevSample;
  }
  return sample;
}
