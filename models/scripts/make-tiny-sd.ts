/**
 * npm run models:tiny [-- --seed N] [-- --out DIR]
 * Regenerates models/tiny-sd (or DIR) from the seed; the default seed reproduces the committed files
 * byte for byte.
 */
import { resolve } from 'node:path';
import { DEFAULT_SEED, writeTinySd } from './tiny-sd';

const DEFAULT_OUT = resolve(__dirname, '..', 'tiny-sd');
const USAGE = 'Usage: npm run models:tiny -- [--seed <integer>] [--out <directory>]';

function parseArgs(args: readonly string[]): { seed: number; out: string } {
  let seed = DEFAULT_SEED;
  let out = DEFAULT_OUT;
  for (let i = 0; i < args.length; i++) {
    const value = args[i + 1];
    if (args[i] === '--seed' && value !== undefined) {
      seed = Number(value);
      if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`--seed must be a non-negative integer; got "${value}". ${USAGE}`);
      i++;
    } else if (args[i] === '--out' && value !== undefined) {
      out = resolve(value);
      i++;
    } else {
      throw new Error(`Unknown or incomplete argument "${args[i]}". ${USAGE}`);
    }
  }
  return { seed, out };
}

function main(): void {
  const { seed, out } = parseArgs(process.argv.slice(2));
  const model = writeTinySd(out, seed);
  const bytes = model.files.reduce((n, f) => n + f.bytes.byteLength, 0);
  console.log(`Wrote the tiny SD model (seed ${seed}) to ${out}: ${model.files.length} files, ${(bytes / 2 ** 20).toFixed(2)} MiB.`);
  for (const [component, count] of Object.entries(model.parameterCounts)) console.log(`  ${component}: ${count.toLocaleString('en-US')} parameters`);
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
