import { createScheduler } from '../../../companion-server/engine/schedulers';
import { SD15_SCHEDULER_CONFIG } from '../../support/sd15-scheduler-config';

describe('scheduler config resolution', () => {
  it('fills diffusers\' defaults for missing and null keys', () => {
    const scheduler = createScheduler('ddim', { clip_sample: null });
    expect(scheduler.config).toMatchObject({ num_train_timesteps: 1000, beta_schedule: 'linear', clip_sample: true, timestep_spacing: 'leading', prediction_type: 'epsilon' });
  });

  it('keeps SD1.5\'s values, so DDIM sees its steps_offset and set_alpha_to_one', () => {
    const scheduler = createScheduler('ddim', SD15_SCHEDULER_CONFIG);
    scheduler.setTimesteps(50);
    expect(scheduler.timesteps.slice(0, 3)).toEqual([981, 961, 941]);
    expect(scheduler.config).toMatchObject({ set_alpha_to_one: false, clip_sample: false, beta_schedule: 'scaled_linear' });
  });

  it('warns about a key no diffusers scheduler reads, naming it', () => {
    const warn = jest.fn();
    createScheduler('euler', { ...SD15_SCHEDULER_CONFIG, beta_shedule: 'linear' }, { warn });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/"beta_shedule" .* Check its spelling/);
  });

  it('ignores quietly the keys of other diffusers schedulers and private "_" keys', () => {
    const warn = jest.fn();
    createScheduler('euler', { solver_order: 3, algorithm_type: 'sde-dpmsolver++', _use_default_values: ['x'] }, { warn });
    expect(warn).not.toHaveBeenCalled();
  });

  it.each([
    [[1, 2, 3], /must be a JSON object/],
    [null, /must be a JSON object/],
    [{ beta_start: -1 }, /"beta_start" is -1; it must be a number > 0/],
    [{ steps_offset: 0.5 }, /"steps_offset" is 0.5; it must be an integer >= 0/],
    [{ clip_sample: 'yes' }, /"clip_sample" is "yes".*use one of true, false/],
    [{ trained_betas: [0.1, 'x'] }, /"trained_betas" must be a non-empty list of numbers/],
    [{ num_train_timesteps: 3, trained_betas: [0.1, 0.2] }, /2 trained_betas but num_train_timesteps is 3/],
  ])('refuses %j with a sentence that says what would work', (config, message) => {
    expect(() => createScheduler('ddim', config as never)).toThrow(message);
  });
});
