import { DEFAULT_PORT } from '../../companion-server/protocol';
import { isLoopbackHost, resolveSettings, SETTINGS_ENV } from '../../companion-server/config/settings';

describe('companion settings', () => {
  it('use the defaults when nothing is set', () => {
    expect(resolveSettings({}, {})).toEqual({ port: DEFAULT_PORT, host: '127.0.0.1', modelDir: 'models/tiny-sd', logLevel: 'info' });
  });

  it('take the config file over defaults, environment over the file, and flags over everything', () => {
    const file = { port: 1000, host: '127.0.0.2', logLevel: 'warn' as const, memoryBudgetMb: 256 };
    const env = { [SETTINGS_ENV.port]: '2000', [SETTINGS_ENV.providers]: 'cuda, cpu', [SETTINGS_ENV.logLevel]: 'debug' };
    expect(resolveSettings({ port: '3000' }, env, file)).toEqual({
      port: 3000,
      host: '127.0.0.2',
      modelDir: 'models/tiny-sd',
      providers: ['cuda', 'cpu'],
      memoryBudgetMb: 256,
      logLevel: 'debug',
    });
  });

  it.each([
    ['a port that is not a number', { port: 'http' }, {}, /flag --port has an invalid value "http"/],
    ['a negative memory budget', { memoryBudgetMb: '-5' }, {}, /flag --memory-budget-mb/],
    ['an unknown log level in the environment', {}, { [SETTINGS_ENV.logLevel]: 'loud' }, /environment variable DIFFUSION_BRUSH_LOG_LEVEL/],
  ])('name the source of %s', (_name, flags, env, message) => {
    expect(() => resolveSettings(flags, env)).toThrow(message);
  });

  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['localhost', true],
    ['::1', true],
    ['0.0.0.0', false],
    ['192.168.1.4', false],
    ['::', false],
  ])('treat %s as loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});
