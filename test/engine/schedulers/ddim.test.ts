/** Reference values ported from diffusers' tests/schedulers/test_scheduler_ddim.py. */
import { createScheduler } from '../../../companion-server/engine/schedulers';
import type { SchedulerConfig } from '../../../companion-server/engine/schedulers';
import type { Tensor } from '../../../companion-server/engine/tensor';
import { diffusersLoop, dummyNoiseDeter, dummySampleDeter, expectAbsSumAndMean } from '../../support/diffusers-dummies';

const TEST_CONFIG = { num_train_timesteps: 1000, beta_start: 0.0001, beta_end: 0.02, beta_schedule: 'linear', clip_sample: true } as const;

/** diffusers' DDIMSchedulerTest.full_loop: 10 steps, eta 0, from step `start` (after add_noise when start > 0). */
function fullLoop(overrides: SchedulerConfig = {}, start = 0): Tensor {
  const scheduler = createScheduler('ddim', { ...TEST_CONFIG, ...overrides });
  scheduler.setTimesteps(10);
  return diffusersLoop(scheduler, { start });
}

describe('DDIM matches diffusers', () => {
  it.each([
    ['the default config (test_full_loop_no_noise)', {}, 172.0067, 0.223967],
    ['v_prediction (test_full_loop_with_v_prediction)', { prediction_type: 'v_prediction' }, 52.5302, 0.0684],
    ['set_alpha_to_one (test_full_loop_with_set_alpha_to_one)', { set_alpha_to_one: true, beta_start: 0.01 }, 149.8295, 0.1951],
    ['set_alpha_to_one false (test_full_loop_with_no_set_alpha_to_one)', { set_alpha_to_one: false, beta_start: 0.01 }, 149.0784, 0.1941],
  ] as const)('in a full loop with %s', (_name, overrides, sum, mean) => {
    expectAbsSumAndMean(fullLoop(overrides), { sum, mean });
  });

  it('in a loop from step 8 after add_noise (test_full_loop_with_noise)', () => {
    expectAbsSumAndMean(fullLoop({}, 8), { sum: 354.5418, mean: 0.4616 });
  });

  it('places leading timesteps after steps_offset (test_steps_offset)', () => {
    const scheduler = createScheduler('ddim', { ...TEST_CONFIG, steps_offset: 1 });
    scheduler.setTimesteps(5);
    expect(scheduler.timesteps).toEqual([801, 601, 401, 201, 1]);
  });
});

describe('DDIM with eta > 0', () => {
  /** The std of the fresh noise a step adds, read off the difference that unit noise makes. */
  function noiseStd(numInferenceSteps: number, stepIndex: number): number {
    const scheduler = createScheduler('ddim', TEST_CONFIG, { eta: 1 });
    scheduler.setTimesteps(numInferenceSteps);
    const sample = dummySampleDeter();
    const zero = { data: new Float32Array(sample.data.length), dims: sample.dims };
    const ones = { data: new Float32Array(sample.data.length).fill(1), dims: sample.dims };
    const withNoise = scheduler.step(zero, stepIndex, sample, { noise: ones }).prevSample;
    const without = scheduler.step(zero, stepIndex, sample, { noise: zero }).prevSample;
    return withNoise.data[0] - without.data[0];
  }

  it.each([
    ['420 -> 400', 50, 28, 0.14771],
    ['980 -> 960', 50, 0, 0.3246],
    ['487 -> 486', 1000, 512, 0.00979],
    ['999 -> 998', 1000, 0, 0.02],
  ])('adds noise of diffusers\' variance from timestep %s (test_variance)', (_name, steps, stepIndex, variance) => {
    expect(Math.abs(noiseStd(steps, stepIndex) ** 2 - variance)).toBeLessThan(1e-5);
  });

  it('is stochastic and needs options.noise', () => {
    const scheduler = createScheduler('ddim', TEST_CONFIG, { eta: 0.5 });
    scheduler.setTimesteps(10);
    const sample = dummySampleDeter();
    expect(scheduler.isStochastic).toBe(true);
    expect(() => scheduler.step(sample, 0, sample)).toThrow(/pass options\.noise/);
  });

  it('is refused for other schedulers', () => {
    expect(() => createScheduler('euler', TEST_CONFIG, { eta: 1 })).toThrow(/eta applies to the ddim scheduler only/);
  });
});

describe('DDIM inversion', () => {
  it('undoes a deterministic step when the model output is the same', () => {
    const scheduler = createScheduler('ddim', { ...TEST_CONFIG, clip_sample: false });
    scheduler.setTimesteps(10);
    const sample = dummySampleDeter();
    const epsilon = dummyNoiseDeter();
    for (const stepIndex of [0, 4, 9]) {
      const stepped = scheduler.step(epsilon, stepIndex, sample).prevSample;
      const inverted = scheduler.invertStep(epsilon, stepIndex, stepped);
      inverted.data.forEach((x, i) => expect(x).toBeCloseTo(sample.data[i], 4));
    }
  });

  it('noises a clean sample along the schedule: inverting every step reaches the first noise level', () => {
    const scheduler = createScheduler('ddim', { ...TEST_CONFIG, clip_sample: false, set_alpha_to_one: true });
    scheduler.setTimesteps(10);
    const clean = dummySampleDeter();
    const epsilon = dummyNoiseDeter();
    let sample = clean;
    for (let i = scheduler.timesteps.length - 1; i >= 0; i--) sample = scheduler.invertStep(epsilon, i, sample);
    const expected = scheduler.addNoise(clean, epsilon, 0);
    sample.data.forEach((x, i) => expect(x).toBeCloseTo(expected.data[i], 4));
  });
});
