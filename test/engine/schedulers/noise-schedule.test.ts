import { alphasCumprodFor, betasFor } from '../../../companion-server/engine/schedulers/noise-schedule';
import { createScheduler } from '../../../companion-server/engine/schedulers';
import { SD15_SCHEDULER_CONFIG } from '../../support/sd15-scheduler-config';

const base = { num_train_timesteps: 1000, beta_start: 0.00085, beta_end: 0.012, trained_betas: null, rescale_betas_zero_snr: false } as const;

describe('the training noise schedule', () => {
  it('runs linear betas from beta_start to beta_end', () => {
    const betas = betasFor({ ...base, beta_schedule: 'linear' });
    expect(betas[0]).toBe(Math.fround(0.00085));
    expect(betas[999]).toBe(Math.fround(0.012));
    expect(betas[500] - betas[499]).toBeCloseTo((0.012 - 0.00085) / 999, 9);
  });

  it('runs scaled_linear betas linearly in sqrt(beta), as Stable Diffusion was trained', () => {
    const betas = betasFor({ ...base, beta_schedule: 'scaled_linear' });
    expect(Math.sqrt(betas[500]) - Math.sqrt(betas[499])).toBeCloseTo((Math.sqrt(0.012) - Math.sqrt(0.00085)) / 999, 7);
  });

  it('caps the cosine schedule\'s betas at 0.999', () => {
    const betas = betasFor({ ...base, beta_schedule: 'squaredcos_cap_v2' });
    expect(Math.max(...betas)).toBe(Math.fround(0.999));
    expect(betas[0]).toBeGreaterThan(0);
  });

  it('uses trained_betas as given', () => {
    expect(Array.from(betasFor({ ...base, num_train_timesteps: 2, beta_schedule: 'linear', trained_betas: [0.5, 0.25] }))).toEqual([0.5, 0.25]);
    expect(Array.from(alphasCumprodFor({ ...base, num_train_timesteps: 2, beta_schedule: 'linear', trained_betas: [0.5, 0.25] }))).toEqual([0.5, 0.375]);
  });

  it('rescales to zero terminal SNR keeping the first alpha-bar (rescale_betas_zero_snr)', () => {
    const plain = alphasCumprodFor({ ...base, beta_schedule: 'scaled_linear' });
    const rescaled = alphasCumprodFor({ ...base, beta_schedule: 'scaled_linear', rescale_betas_zero_snr: true });
    expect(rescaled[0]).toBeCloseTo(plain[0], 6);
    expect(rescaled[999]).toBe(0);
    rescaled.slice(1).forEach((alphaBar, t) => expect(alphaBar).toBeLessThan(rescaled[t]));
    const floored = alphasCumprodFor({ ...base, beta_schedule: 'scaled_linear', rescale_betas_zero_snr: true }, { finiteTerminalSigma: true });
    expect(floored[999]).toBe(2 ** -24);
  });

  it('gives SD1.5 the sigma range every SD user knows (Euler\'s init_noise_sigma 14.6146, sigma_min 0.0292)', () => {
    const scheduler = createScheduler('euler', { ...SD15_SCHEDULER_CONFIG, final_sigmas_type: 'sigma_min' });
    scheduler.setTimesteps(50);
    expect(scheduler.initNoiseSigma).toBeCloseTo(14.6146, 4);
    expect(scheduler.noiseLevel(50).noiseScale).toBeCloseTo(0.0291675, 6);
  });
});
