import { interpolate, linspace, roundHalfEven, spacedTimesteps } from '../../../companion-server/engine/schedulers/spacing';
import { createScheduler } from '../../../companion-server/engine/schedulers';

describe('timestep spacing', () => {
  it('rounds ties to even like numpy', () => {
    expect([0.5, 1.5, 2.5, -1.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, -2, 2, 3]);
  });

  it('pins linspace\'s last point and interpolates like numpy.interp', () => {
    expect(linspace(0, 1, 3)).toEqual([0, 0.5, 1]);
    expect(linspace(0, 10, 4, false)).toEqual([0, 2.5, 5, 7.5]);
    expect([-1, 0, 0.25, 1, 2, 5].map((x) => interpolate(x, [0, 4, 8]))).toEqual([0, 0, 1, 4, 8, 8]);
  });

  it.each([
    ['leading', [900, 800, 700, 600, 500, 400, 300, 200, 100, 0]],
    ['trailing', [999, 899, 799, 699, 599, 499, 399, 299, 199, 99]],
    ['linspace', [999, 888, 777, 666, 555, 444, 333, 222, 111, 0]],
  ] as const)('spaces DDIM\'s %s timesteps as diffusers does', (spacing, expected) => {
    const scheduler = createScheduler('ddim', { timestep_spacing: spacing });
    scheduler.setTimesteps(10);
    expect(scheduler.timesteps).toEqual(expected);
  });

  it('gives exactly n trailing timesteps where numpy\'s arange would add a -1', () => {
    const timesteps = spacedTimesteps('trailing', 1000, 61, 0);
    expect(timesteps).toHaveLength(61);
    expect(Math.min(...timesteps)).toBe(15);
  });

  it.each([
    ['linspace', [999, 899, 799, 699, 599, 500, 400, 300, 200, 100]],
    ['leading', [900, 810, 720, 630, 540, 450, 360, 270, 180, 90]],
    ['trailing', [999, 899, 799, 699, 599, 499, 399, 299, 199, 99]],
  ] as const)('spaces DPM-Solver\'s %s timesteps over n + 1 points as diffusers does', (spacing, expected) => {
    const scheduler = createScheduler('dpm++2m', { timestep_spacing: spacing });
    scheduler.setTimesteps(10);
    expect(scheduler.timesteps).toEqual(expected);
  });

  it('keeps Euler\'s linspace timesteps fractional (float32)', () => {
    const scheduler = createScheduler('euler', { num_train_timesteps: 1000 });
    scheduler.setTimesteps(4);
    expect(scheduler.timesteps).toEqual([999, 666, 333, 0]);
    scheduler.setTimesteps(7);
    expect(scheduler.timesteps[1]).toBe(Math.fround(832.5));
  });
});
