import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConfigUpdater, readConfig } from '../../companion-server/config/config-file';

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'companion-config-'));
  file = join(dir, 'nested', 'config.json');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the config file', () => {
  it('reads as empty when missing', async () => {
    expect(await readConfig(file)).toEqual({ tokens: [] });
  });

  it('is written readable by the user only, keeping keys it does not know', async () => {
    const update = createConfigUpdater(file);
    await update((config) => Object.assign(config, { future: { keep: true } }));
    await Promise.all([1, 2, 3].map((n) => update((config) => config.tokens.push({ id: `t${n}`, name: 'x', hash: 'h', createdAt: 'now' }))));
    expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written.future).toEqual({ keep: true });
    expect(written.tokens.map((token: { id: string }) => token.id)).toEqual(['t1', 't2', 't3']);
  });

  it('names the file and the fix when it is not JSON or has bad entries', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ nope');
    await expect(readConfig(bad)).rejects.toThrow(/bad\.json is not JSON .*fix it or delete it/);
    writeFileSync(bad, JSON.stringify({ server: { port: 'high' } }));
    await expect(readConfig(bad)).rejects.toThrow(/server\.port.*fix them or delete the file/);
  });
});
