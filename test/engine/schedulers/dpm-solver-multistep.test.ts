/** Reference values ported from diffusers' tests/schedulers/test_scheduler_dpm_multi.py. */
import { createScheduler } from '../../../companion-server/engine/schedulers';
import type { SchedulerConfig } from '../../../companion-server/engine/schedulers';
import type { Tensor } from '../../../companion-server/engine/tensor';
import { diffusersLoop, dummyModel, dummySampleDeter, expectAbsSumAndMean } from '../../support/diffusers-dummies';

const TEST_CONFIG = {
  num_train_timesteps: 1000,
  beta_start: 0.0001,
  beta_end: 0.02,
  beta_schedule: 'linear',
  solver_order: 2,
  prediction_type: 'epsilon',
  thresholding: false,
  sample_max_value: 1.0,
  algorithm_type: 'dpmsolver++',
  solver_type: 'midpoint',
  lower_order_final: false,
  euler_at_final: false,
  lambda_min_clipped: -Infinity,
  variance_type: null,
  final_sigmas_type: 'sigma_min',
} as const;

/** diffusers' DPMSolverMultistepSchedulerTest.full_loop, 10 steps, from step `start` (after add_noise when start > 0). */
function fullLoop(overrides: SchedulerConfig = {}, start = 0): Tensor {
  const scheduler = createScheduler('dpm++2m', { ...TEST_CONFIG, ...overrides });
  scheduler.setTimesteps(10);
  return diffusersLoop(scheduler, { start });
}

describe('DPM++ 2M matches diffusers', () => {
  it.each([
    ['the default config (test_full_loop_no_noise)', {}, 0.3301],
    ['v_prediction (test_full_loop_with_v_prediction)', { prediction_type: 'v_prediction' }, 0.2251],
    ['Karras sigmas and v_prediction (test_full_loop_with_karras_and_v_prediction)', { prediction_type: 'v_prediction', use_karras_sigmas: true }, 0.2096],
  ] as const)('in a full loop with %s', (_name, overrides, mean) => {
    expectAbsSumAndMean(fullLoop(overrides), { mean });
  });

  it('in a loop from step 5 after add_noise, starting first-order (test_full_loop_with_noise)', () => {
    expectAbsSumAndMean(fullLoop({}, 5), { sum: 318.4111, mean: 0.4146 });
  });

  it('schedules as many timesteps as asked for, even all training steps (test_duplicated_timesteps)', () => {
    const scheduler = createScheduler('dpm++2m', TEST_CONFIG);
    scheduler.setTimesteps(1000);
    expect(scheduler.timesteps).toHaveLength(1000);
  });
});

describe('DPM++ 2M history', () => {
  function stepAt(scheduler: ReturnType<typeof createScheduler<'dpm++2m'>>, stepIndex: number): Tensor {
    const sample = dummySampleDeter();
    return scheduler.step(dummyModel(sample, scheduler.timesteps[stepIndex]), stepIndex, sample).prevSample;
  }

  it('takes a first-order step when it starts at any step, after reset(), or after a skipped step', () => {
    const firstOrder = createScheduler('dpm++2m', { ...TEST_CONFIG, solver_order: 1 });
    firstOrder.setTimesteps(10);
    const expected = stepAt(firstOrder, 5).data;

    const secondOrder = createScheduler('dpm++2m', TEST_CONFIG);
    secondOrder.setTimesteps(10);
    expect(stepAt(secondOrder, 5).data).toEqual(expected);
    stepAt(secondOrder, 4);
    secondOrder.reset();
    expect(stepAt(secondOrder, 5).data).toEqual(expected);
    stepAt(secondOrder, 3);
    expect(stepAt(secondOrder, 5).data).toEqual(expected);
  });

  it('takes a second-order step right after the previous step', () => {
    const scheduler = createScheduler('dpm++2m', TEST_CONFIG);
    scheduler.setTimesteps(10);
    const firstOrder = stepAt(scheduler, 5).data;
    scheduler.reset();
    stepAt(scheduler, 4);
    expect(stepAt(scheduler, 5).data).not.toEqual(firstOrder);
  });

  it('resumes at a step with the previous step\'s x0 as if it had run it', () => {
    const scheduler = createScheduler('dpm++2m', TEST_CONFIG);
    scheduler.setTimesteps(10);
    const sample = dummySampleDeter();
    const { predOriginalSample } = scheduler.step(dummyModel(sample, scheduler.timesteps[4]), 4, sample);
    const continued = stepAt(scheduler, 5).data;
    scheduler.reset();
    scheduler.resume(5, predOriginalSample);
    expect(stepAt(scheduler, 5).data).toEqual(continued);
    scheduler.reset();
    expect(stepAt(scheduler, 5).data).not.toEqual(continued);
  });
});

describe('DPM++ 2M options', () => {
  it.each([1, 2] as const)('runs solver_order %i with both solver types and prediction types without NaN (test_solver_order_and_type)', (order) => {
    for (const solverType of ['midpoint', 'heun'] as const) {
      for (const predictionType of ['epsilon', 'sample'] as const) {
        const sample = fullLoop({ solver_order: order, solver_type: solverType, prediction_type: predictionType });
        expect(sample.data.some(Number.isNaN)).toBe(false);
      }
    }
  });

  it.each([
    ['lower_order_final with fewer than 15 steps', { lower_order_final: true }],
    ['euler_at_final', { euler_at_final: true }],
    ['a zero final sigma', { final_sigmas_type: 'zero' }],
  ] as const)('ends with a first-order step given %s', (_name, overrides) => {
    const lastStep = (config: SchedulerConfig) => {
      const scheduler = createScheduler('dpm++2m', { ...TEST_CONFIG, ...config });
      scheduler.setTimesteps(10);
      const sample = dummySampleDeter();
      scheduler.step(dummyModel(sample, scheduler.timesteps[8]), 8, sample);
      return scheduler.step(dummyModel(sample, scheduler.timesteps[9]), 9, sample).prevSample.data;
    };
    expect(lastStep(overrides)).toEqual(lastStep({ ...overrides, solver_order: 1 }));
    expect(lastStep({ ...overrides, solver_order: 1 })).not.toEqual(lastStep({}));
  });
});
