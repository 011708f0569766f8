/** Reference values ported from diffusers' tests/schedulers/test_scheduler_euler.py. */
import { createScheduler } from '../../../companion-server/engine/schedulers';
import type { SchedulerConfig } from '../../../companion-server/engine/schedulers';
import type { Tensor } from '../../../companion-server/engine/tensor';
import { diffusersLoop, expectAbsSumAndMean } from '../../support/diffusers-dummies';

const TEST_CONFIG = { num_train_timesteps: 1100, beta_start: 0.0001, beta_end: 0.02, beta_schedule: 'linear' } as const;

/** diffusers' EulerDiscreteSchedulerTest.full_loop, 10 steps, from step `start` (after add_noise when start > 0). */
function fullLoop(overrides: SchedulerConfig = {}, start = 0): Tensor {
  const scheduler = createScheduler('euler', { ...TEST_CONFIG, ...overrides });
  scheduler.setTimesteps(10);
  return diffusersLoop(scheduler, { start, eulerStyle: true });
}

describe('Euler matches diffusers', () => {
  it.each([
    ['the default config (test_full_loop_no_noise)', {}, 10.0807, 0.0131],
    ['v_prediction (test_full_loop_with_v_prediction)', { prediction_type: 'v_prediction' }, 0.0002, 2.2676e-6],
    ['Karras sigmas (test_full_loop_device_karras_sigmas)', { use_karras_sigmas: true }, 124.52299499511719, 0.16213932633399963],
  ] as const)('in a full loop with %s', (_name, overrides, sum, mean) => {
    expectAbsSumAndMean(fullLoop(overrides), { sum, mean });
  });

  it('in a loop from step 8 after add_noise (test_full_loop_with_noise)', () => {
    expectAbsSumAndMean(fullLoop({}, 8), { sum: 57062.9297, mean: 74.3007 });
  });
});

describe('Euler initial noise', () => {
  it('is sigma_max for linspace spacing and sqrt(sigma_max^2 + 1) for leading, as in diffusers', () => {
    const linspace = createScheduler('euler', TEST_CONFIG);
    const leading = createScheduler('euler', { ...TEST_CONFIG, timestep_spacing: 'leading' });
    linspace.setTimesteps(10);
    leading.setTimesteps(10);
    expect(linspace.initNoiseSigma).toBe(linspace.noiseLevel(0).noiseScale);
    const sigmaMax = leading.noiseLevel(0).noiseScale;
    expect(leading.initNoiseSigma).toBeCloseTo(Math.sqrt(sigmaMax ** 2 + 1), 10);
  });

  it('needs the schedule first', () => {
    expect(() => createScheduler('euler', TEST_CONFIG).initNoiseSigma).toThrow(/call setTimesteps/);
  });
});
