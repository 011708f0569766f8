import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCommand } from '../../companion-server/cli/generate';
import { decodeRgba } from '../../companion-server/engine/image';
import { TINY_SD } from '../support/tiny-model';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'generate-cli-'));
});

function generate(...args: string[]): Promise<unknown> {
  const base = ['--model', TINY_SD, '--steps', '3', '--quiet'];
  return generateCommand().exitOverride().configureOutput({ writeErr: () => undefined }).parseAsync([...base, ...args], { from: 'user' });
}

describe('npm run generate', () => {
  it('writes an image of the requested size, the same bytes for the same seed', async () => {
    await generate('--prompt', 'a lighthouse', '--seed', '4', '--width', '64', '--height', '128', '--out', join(dir, 'a.png'));
    await generate('--prompt', 'a lighthouse', '--seed', '4', '--width', '64', '--height', '128', '--out', join(dir, 'b.png'));
    await generate('--prompt', 'a lighthouse', '--seed', '5', '--width', '64', '--height', '128', '--out', join(dir, 'c.png'));
    const image = await decodeRgba(join(dir, 'a.png'));
    expect([image.width, image.height]).toEqual([64, 128]);
    expect(readFileSync(join(dir, 'a.png')).equals(readFileSync(join(dir, 'b.png')))).toBe(true);
    expect(readFileSync(join(dir, 'a.png')).equals(readFileSync(join(dir, 'c.png')))).toBe(false);
  });

  it("defaults to the model's native size and writes JPEG by extension", async () => {
    await generate('--out', join(dir, 'native.jpg'));
    const image = await decodeRgba(join(dir, 'native.jpg'));
    expect([image.width, image.height]).toEqual([256, 256]);
    expect(readFileSync(join(dir, 'native.jpg')).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it("prints the model's warnings on stderr unless quiet", async () => {
    // tiny-sd with a misspelt scheduler config key.
    const model = join(dir, 'typo-model');
    mkdirSync(join(model, 'scheduler'), { recursive: true });
    for (const entry of readdirSync(TINY_SD)) if (entry !== 'scheduler') symlinkSync(join(TINY_SD, entry), join(model, entry));
    const config = JSON.parse(readFileSync(join(TINY_SD, 'scheduler', 'scheduler_config.json'), 'utf8')) as object;
    writeFileSync(join(model, 'scheduler', 'scheduler_config.json'), JSON.stringify({ ...config, beta_shedule: 'linear' }));
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const args = ['--model', model, '--steps', '1', '--width', '64', '--height', '64'];
      const run = (...extra: string[]) =>
        generateCommand().exitOverride().parseAsync([...args, ...extra, '--out', join(dir, 'typo.png')], { from: 'user' });
      await run();
      expect(warn.mock.calls.map(([message]) => String(message))).toEqual([expect.stringMatching(/^Warning: .*scheduler_config\.json: .*"beta_shedule"/)]);
      warn.mockClear();
      await run('--quiet');
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      log.mockRestore();
    }
  });

  it.each([
    ['a width the UNet cannot divide down (tiny-sd: multiples of 16)', ['--width', '72'], 'w.png', /--width: width must be a multiple of 16 .*\(try 80\)/],
    ['a non-numeric seed', ['--seed', 'abc'], 's.png', /--seed must be a whole number; got "abc"/],
    ['an unsupported output type', [], 'out.gif', /--out: .*\.png, \.jpg or \.jpeg/],
    ['a missing output folder', [], 'missing/out.png', /--out: the folder .*missing does not exist/],
    ['an unknown scheduler', ['--scheduler', 'pndm'], 'p.png', /argument 'pndm' is invalid. Allowed choices are ddim, euler/],
    ['a model folder that does not exist', ['--model', '/no/such/model'], 'm.png', /^--model \/no\/such\/model: .*\/no\/such\/model/],
  ])('refuses %s, naming the flag, and writes nothing', async (_, args, name, message) => {
    const out = join(dir, name);
    await expect(generate(...args, '--out', out)).rejects.toThrow(message);
    expect(existsSync(out)).toBe(false);
  });
});
