/**
 * Reference values ported from diffusers' tests/schedulers/test_scheduler_lcm.py. Its loops draw the
 * re-noising of every step but the last with torch.manual_seed(0): randn of the sample's shape.
 */
import { createScheduler } from '../../../companion-server/engine/schedulers';
import type { Tensor } from '../../../companion-server/engine/tensor';
import { DUMMY_DIMS, diffusersLoop, expectAbsSumAndMean } from '../../support/diffusers-dummies';
import { TorchGenerator } from '../../support/torch-randn';

const TEST_CONFIG = { num_train_timesteps: 1000, beta_start: 0.00085, beta_end: 0.012, beta_schedule: 'scaled_linear', prediction_type: 'epsilon' } as const;

function fullLoop(numInferenceSteps: number): Tensor {
  const scheduler = createScheduler('lcm', TEST_CONFIG);
  scheduler.setTimesteps(numInferenceSteps);
  const generator = new TorchGenerator(0);
  const last = numInferenceSteps - 1;
  return diffusersLoop(scheduler, { noiseAt: (i) => (i < last ? generator.randn(DUMMY_DIMS) : undefined) });
}

describe('LCM matches diffusers', () => {
  it.each([
    ['one step (test_full_loop_onestep)', 1, 18.7097, 0.0244],
    ['ten steps (test_full_loop_multistep)', 10, 197.7616, 0.2575],
  ] as const)('in a full loop of %s', (_name, steps, sum, mean) => {
    expectAbsSumAndMean(fullLoop(steps), { sum, mean }, { sum: 1e-3, mean: 1e-3 });
  });

  it('takes its timesteps from the 50-step distillation schedule', () => {
    const scheduler = createScheduler('lcm', TEST_CONFIG);
    scheduler.setTimesteps(4);
    expect(scheduler.timesteps).toEqual([999, 759, 499, 259]);
  });
});
