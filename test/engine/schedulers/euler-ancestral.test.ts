/**
 * Reference values ported from diffusers' tests/schedulers/test_scheduler_euler_ancestral.py. Its
 * loops draw each step's noise with torch.manual_seed(0): randn of the sample's shape, every step.
 */
import { createScheduler } from '../../../companion-server/engine/schedulers';
import type { SchedulerConfig } from '../../../companion-server/engine/schedulers';
import type { Tensor } from '../../../companion-server/engine/tensor';
import { DUMMY_DIMS, diffusersLoop, expectAbsSumAndMean } from '../../support/diffusers-dummies';
import { TorchGenerator } from '../../support/torch-randn';

const TEST_CONFIG = { num_train_timesteps: 1100, beta_start: 0.0001, beta_end: 0.02, beta_schedule: 'linear' } as const;

/** diffusers' full loop, 10 steps, from step `start` (after add_noise when start > 0). */
function fullLoop(overrides: SchedulerConfig = {}, start = 0): Tensor {
  const scheduler = createScheduler('euler-ancestral', { ...TEST_CONFIG, ...overrides });
  scheduler.setTimesteps(10);
  const generator = new TorchGenerator(0);
  return diffusersLoop(scheduler, { start, eulerStyle: true, noiseAt: () => generator.randn(DUMMY_DIMS) });
}

describe('Euler ancestral matches diffusers', () => {
  it.each([
    ['the default config (test_full_loop_no_noise)', {}, 152.3192, 0.1983],
    ['v_prediction (test_full_loop_with_v_prediction)', { prediction_type: 'v_prediction' }, 108.4439, 0.1412],
  ] as const)('in a full loop with %s', (_name, overrides, sum, mean) => {
    expectAbsSumAndMean(fullLoop(overrides), { sum, mean });
  });

  it('in a loop from step 8 after add_noise (test_full_loop_with_noise)', () => {
    expectAbsSumAndMean(fullLoop({}, 8), { sum: 56163.0508, mean: 73.129 });
  });
});
