/**
 * Reference values ported from diffusers' tests/schedulers/test_scheduler_lcm.py. Its loops draw the
 * re-noising of every step but the last with torch.manual_seed(0): randn of the sample's shape.
 */
import { createScheduler } from '../../../companion-server/engine/schedulers';
import type { Tensor } from '../../../companion-server/engine/tensor';
import { absSumAndMean, dummyModel, dummySampleDeter, expectWithin } from '../../support/diffusers-dummies';
import { TorchGenerator } from '../../support/torch-randn';

const TEST_CONFIG = { num_train_timesteps: 1000, beta_start: 0.00085, beta_end: 0.012, beta_schedule: 'scaled_linear', prediction_type: 'epsilon' } as const;

function fullLoop(numInferenceSteps: number): Tensor {
  const scheduler = createScheduler('lcm', TEST_CONFIG);
  scheduler.setTimesteps(numInferenceSteps);
  const generator = new TorchGenerator(0);
  let sample = dummySampleDeter();
  for (let i = 0; i < scheduler.timesteps.length; i++) {
    const isLast = i === scheduler.timesteps.length - 1;
    const noise = isLast ? undefined : generator.randn(sample.dims);
    sample = scheduler.step(dummyModel(sample, scheduler.timesteps[i]), i, sample, { noise }).prevSample;
  }
  return sample;
}

describe('LCM matches diffusers', () => {
  it.each([
    ['one step (test_full_loop_onestep)', 1, 18.7097, 0.0244],
    ['ten steps (test_full_loop_multistep)', 10, 197.7616, 0.2575],
  ] as const)('in a full loop of %s', (_name, steps, sum, mean) => {
    const result = absSumAndMean(fullLoop(steps));
    expectWithin(result.sum, sum, 1e-3);
    expectWithin(result.mean, mean, 1e-3);
  });

  it('takes its timesteps from the 50-step distillation schedule', () => {
    const scheduler = createScheduler('lcm', TEST_CONFIG);
    scheduler.setTimesteps(4);
    expect(scheduler.timesteps).toEqual([999, 759, 499, 259]);
  });
});
