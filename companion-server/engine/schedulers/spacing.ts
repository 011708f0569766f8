/**
 * Choosing which training timesteps an inference schedule visits (`timestep_spacing`, see Table 2 of
 * Lin et al., "Common Diffusion Noise Schedules and Sample Steps are Flawed", 2024), with the numpy
 * semantics diffusers relies on (round half to even, linspace's last point pinned to `stop`).
 */
import type { TimestepSpacing } from './scheduler';

export const TIMESTEP_SPACINGS: readonly TimestepSpacing[] = ['leading', 'trailing', 'linspace'];

/** numpy's round(): ties go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}

/** numpy.linspace in float64: start + i * step, with the last point exactly `stop` when `endpoint`. */
export function linspace(start: number, stop: number, count: number, endpoint = true): number[] {
  const divisions = endpoint ? count - 1 : count;
  const step = divisions > 0 ? (stop - start) / divisions : 0;
  const values = Array.from({ length: count }, (_, i) => i * step + start);
  if (endpoint && count > 1) values[count - 1] = stop;
  return values;
}

/**
 * numpy.interp(x, arange(len(table)), table): the piecewise-linear value of `table` at fractional
 * index `x`, clamped at both ends.
 */
export function interpolate(x: number, table: ArrayLike<number>): number {
  const last = table.length - 1;
  if (x <= 0) return table[0];
  if (x >= last) return table[last];
  const low = Math.floor(x);
  if (x === low) return table[low];
  return (table[low + 1] - table[low]) * (x - low) + table[low];
}

/**
 * The timesteps of a `numSteps` schedule over `numTrain` training steps, noisiest first, as DDIM,
 * Euler and Euler ancestral choose them. `linspace` values are fractional here: DDIM rounds them,
 * the Euler schedulers keep them (as float32).
 *
 * For `trailing`, diffusers' np.arange(T, 0, -T/n) occasionally yields n + 1 values ending in a
 * timestep of -1 (float rounding in arange's length, e.g. T = 1000, n = 61); we take exactly n.
 */
export function spacedTimesteps(spacing: TimestepSpacing, numTrain: number, numSteps: number, stepsOffset: number): number[] {
  switch (spacing) {
    case 'linspace':
      return linspace(0, numTrain - 1, numSteps).reverse();
    case 'leading': {
      const stepRatio = Math.floor(numTrain / numSteps);
      return Array.from({ length: numSteps }, (_, i) => (numSteps - 1 - i) * stepRatio + stepsOffset);
    }
    case 'trailing': {
      const stepRatio = numTrain / numSteps;
      return Array.from({ length: numSteps }, (_, i) => roundHalfEven(numTrain - i * stepRatio) - 1);
    }
  }
}

/** Throws unless `numSteps` is a step count this training schedule supports. */
export function checkStepCount(numSteps: number, maxSteps: number, what = 'num_train_timesteps'): void {
  if (!Number.isInteger(numSteps) || numSteps < 1 || numSteps > maxSteps) {
    throw new RangeError(
      `Cannot schedule ${numSteps} inference steps: use an integer from 1 to ${maxSteps} (the scheduler's ${what}).`,
    );
  }
}
