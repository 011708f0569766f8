import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const SCRIPT = join(ROOT, 'models', 'scripts', 'make-tiny-sd.ts');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

function makeTinySd(...args: string[]) {
  return spawnSync(TSX, [SCRIPT, ...args], { cwd: ROOT, encoding: 'utf8' });
}

describe('npm run models:tiny', () => {
  test('writes a model folder where --out says, reporting files and parameters', () => {
    const out = mkdtempSync(join(tmpdir(), 'make-tiny-sd-'));
    try {
      const result = makeTinySd('--seed', '3', '--out', out);
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/Wrote the tiny SD model \(seed 3\) to .*: 15 files/);
      expect(result.stdout).toMatch(/unet: [\d,]+ parameters/);
      expect(existsSync(join(out, 'unet', 'model.onnx_data'))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('refuses a bad seed or an unknown flag with the usage line and exit code 1', () => {
    const badSeed = makeTinySd('--seed', 'abc');
    expect(badSeed.status).toBe(1);
    expect(badSeed.stderr).toMatch(/--seed must be a non-negative integer; got "abc"\. Usage: npm run models:tiny/);
    expect(makeTinySd('--sed', '3').stderr).toMatch(/Unknown or incomplete argument "--sed"/);
  });
});
