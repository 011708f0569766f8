/**
 * The contract every scheduler keeps (after diffusers' tests/schedulers/test_schedulers.py), run on
 * Stable Diffusion 1.5's own scheduler_config.json.
 */
import { SCHEDULER_KINDS, createScheduler } from '../../../companion-server/engine/schedulers';
import type { Scheduler, SchedulerKind } from '../../../companion-server/engine/schedulers';
import type { Tensor } from '../../../companion-server/engine/tensor';
import { DUMMY_DIMS, diffusersLoop, dummyModel, dummyNoiseDeter, dummySampleDeter } from '../../support/diffusers-dummies';
import { SD15_SCHEDULER_CONFIG } from '../../support/sd15-scheduler-config';
import { TorchGenerator } from '../../support/torch-randn';

const STEPS = 8;

function scheduled(kind: SchedulerKind): Scheduler {
  const scheduler = createScheduler(kind, SD15_SCHEDULER_CONFIG);
  scheduler.setTimesteps(STEPS);
  return scheduler;
}

function noiseFor(scheduler: Scheduler, generator: TorchGenerator): Tensor | undefined {
  return scheduler.isStochastic ? generator.randn(DUMMY_DIMS) : undefined;
}

/** diffusers' dummy-model loop over the whole schedule; stochastic steps draw torch-seeded noise. */
function run(scheduler: Scheduler): Tensor {
  const generator = new TorchGenerator(0);
  return diffusersLoop(scheduler, { noiseAt: () => noiseFor(scheduler, generator) });
}

describe.each(SCHEDULER_KINDS)('the %s scheduler', (kind) => {
  it('is created from SD1.5\'s PNDM config without a warning', () => {
    const warn = jest.fn();
    createScheduler(kind, SD15_SCHEDULER_CONFIG, { warn });
    expect(warn).not.toHaveBeenCalled();
  });

  it('schedules the asked number of strictly decreasing training timesteps', () => {
    const { timesteps } = scheduled(kind);
    expect(timesteps).toHaveLength(STEPS);
    timesteps.slice(1).forEach((t, i) => expect(t).toBeLessThan(timesteps[i]));
    expect(Math.min(...timesteps)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...timesteps)).toBeLessThanOrEqual(999);
  });

  it('refuses step counts the training schedule cannot give', () => {
    const scheduler = createScheduler(kind, SD15_SCHEDULER_CONFIG);
    for (const count of [0, 2.5, 1001]) expect(() => scheduler.setTimesteps(count)).toThrow(/inference steps/);
  });

  it('refuses to step before setTimesteps, or outside the schedule', () => {
    const sample = dummySampleDeter();
    expect(() => createScheduler(kind, SD15_SCHEDULER_CONFIG).step(sample, 0, sample)).toThrow(/setTimesteps/);
    const scheduler = scheduled(kind);
    expect(() => scheduler.step(sample, STEPS, sample)).toThrow(/outside this 8-step schedule/);
    expect(() => scheduler.step(sample, -1, sample)).toThrow(RangeError);
  });

  it('lowers the noise level from step to step, down to the level the last step lands on', () => {
    const scheduler = scheduled(kind);
    const sigmas = Array.from({ length: STEPS + 1 }, (_, i) => {
      const level = scheduler.noiseLevel(i);
      return level.noiseScale / level.signalScale;
    });
    sigmas.slice(1).forEach((sigma, i) => expect(sigma).toBeLessThan(sigmas[i]));
    expect(sigmas[STEPS]).toBeLessThan(0.03);
  });

  it('adds noise at step 0 with the scale of that step\'s noise level, and pure noise at initNoiseSigma', () => {
    const scheduler = scheduled(kind);
    const level = scheduler.noiseLevel(0);
    const clean = dummySampleDeter();
    const noise = dummyNoiseDeter();
    const noisy = scheduler.addNoise(clean, noise, 0);
    noisy.data.forEach((x, i) => expect(x).toBeCloseTo(level.signalScale * clean.data[i] + level.noiseScale * noise.data[i], 4));
    // Pure noise scaled by initNoiseSigma has (about) the total std of a step-0 sample.
    expect(Math.hypot(level.signalScale, level.noiseScale) / scheduler.initNoiseSigma).toBeCloseTo(1, 2);
  });

  it('returns samples and x0 predictions of the sample\'s shape, and refuses other shapes', () => {
    const scheduler = scheduled(kind);
    const generator = new TorchGenerator(0);
    const sample = dummySampleDeter();
    for (const i of [0, STEPS - 1]) {
      const output = scheduler.step(dummyModel(sample, scheduler.timesteps[i]), i, sample, { noise: noiseFor(scheduler, generator) });
      expect(output.prevSample.dims).toEqual(sample.dims);
      expect(output.predOriginalSample.dims).toEqual(sample.dims);
    }
    const wrong = { data: new Float32Array(8), dims: [1, 2, 2, 2] };
    expect(() => scheduler.step(wrong, 0, sample, { noise: noiseFor(scheduler, generator) })).toThrow(/model output has dims \[1, 2, 2, 2\]/);
  });

  it('gives identical results for identical inputs', () => {
    expect(run(scheduled(kind)).data).toEqual(run(scheduled(kind)).data);
  });

  it('brings noise to the clean image when the model knows the noise exactly', () => {
    expectOracleConvergence(scheduled(kind), 'epsilon');
  });

  it('does so on a zero-terminal-SNR v-prediction schedule too (rescale_betas_zero_snr)', () => {
    const config = { ...SD15_SCHEDULER_CONFIG, rescale_betas_zero_snr: true, prediction_type: 'v_prediction', timestep_spacing: 'trailing' };
    const scheduler = createScheduler(kind, config);
    scheduler.setTimesteps(STEPS);
    expect(scheduler.timesteps[0]).toBe(999);
    expectOracleConvergence(scheduler, 'v_prediction');
  });
});

/**
 * Runs the whole schedule from noise with a model that knows the clean image, so it predicts exactly
 * the eps (or v) that explains each sample, and checks that the sample ends at the clean image.
 */
function expectOracleConvergence(scheduler: Scheduler, predictionType: 'epsilon' | 'v_prediction'): void {
  const generator = new TorchGenerator(1);
  const clean = dummySampleDeter();
  const noise = generator.randn(DUMMY_DIMS);
  let sample: Tensor = { data: noise.data.map((x) => x * scheduler.initNoiseSigma), dims: noise.dims };
  scheduler.timesteps.forEach((_, i) => {
    const { signalScale: a, noiseScale: b } = scheduler.noiseLevel(i);
    const norm = Math.hypot(a, b);
    const prediction = sample.data.map((x, j) => {
      const epsilon = (x - a * clean.data[j]) / b;
      return predictionType === 'epsilon' ? epsilon : (a * epsilon - b * clean.data[j]) / norm;
    });
    sample = scheduler.step({ data: prediction, dims: sample.dims }, i, sample, { noise: noiseFor(scheduler, generator) }).prevSample;
  });
  // The sample ends at the last noise level: the clean image, give or take that level's noise.
  const { signalScale, noiseScale } = scheduler.noiseLevel(scheduler.timesteps.length);
  sample.data.forEach((x, j) => expect(Math.abs(x - signalScale * clean.data[j])).toBeLessThan(4 * noiseScale + 2e-3));
}

describe.each(SCHEDULER_KINDS.filter((kind) => scheduled(kind).isStochastic))('the stochastic %s scheduler', (kind) => {
  it('asks for options.noise when a step needs fresh noise', () => {
    const sample = dummySampleDeter();
    expect(() => scheduled(kind).step(sample, 0, sample)).toThrow(/pass options\.noise/);
  });

  it('follows the noise it is given', () => {
    const sample = dummySampleDeter();
    const generator = new TorchGenerator(0);
    const first = scheduled(kind).step(sample, 0, sample, { noise: generator.randn(DUMMY_DIMS) });
    const second = scheduled(kind).step(sample, 0, sample, { noise: generator.randn(DUMMY_DIMS) });
    expect(first.prevSample.data).not.toEqual(second.prevSample.data);
  });
});

describe.each([
  ['ddim', 'prediction_type', 'flow_prediction', /use one of "epsilon", "v_prediction", "sample"/],
  ['ddim', 'timestep_spacing', 'karras', /use one of "leading", "trailing", "linspace"/],
  ['ddim', 'thresholding', true, /use one of false/],
  ['euler', 'use_exponential_sigmas', true, /use one of false/],
  ['euler', 'interpolation_type', 'log_linear', /use one of "linear"/],
  ['euler', 'timestep_type', 'continuous', /use one of "discrete"/],
  ['euler-ancestral', 'beta_schedule', 'sigmoid', /use one of "linear", "scaled_linear", "squaredcos_cap_v2"/],
  ['dpm++2m', 'algorithm_type', 'sde-dpmsolver++', /use one of "dpmsolver\+\+"/],
  ['dpm++2m', 'solver_order', 3, /use one of 1, 2/],
  ['dpm++2m', 'variance_type', 'learned_range', /use one of null/],
  ['lcm', 'timestep_scaling', 0, /"timestep_scaling" is 0; it must be a number > 0/],
  ['lcm', 'num_train_timesteps', '1000', /must be an integer >= 2/],
] as const)('a %s config with %s = %j', (kind, key, value, allowed) => {
  it('is refused with the values that would work', () => {
    expect(() => createScheduler(kind, { ...SD15_SCHEDULER_CONFIG, [key]: value })).toThrow(allowed);
  });
});
