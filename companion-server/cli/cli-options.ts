/** What the engine subcommands (generate, brush) share: number parsing, output checks, the progress bar. */
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { formatOfPath } from '../engine/image';
import type { JobContext, ProgressEvent } from '../engine/jobs';
import type { StableDiffusionModel } from '../engine/model/components';
import { loadModel } from '../engine/model/load-model';

export function integer(value: string, flag: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(parsed)) throw new InvalidArgumentError(`${flag} must be a whole number; got "${value}".`);
  return parsed;
}

export function number(value: string, flag: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) throw new InvalidArgumentError(`${flag} must be a number; got "${value}".`);
  return parsed;
}

/** Checks an output path before any work: a .png/.jpg extension and a folder that exists. */
export function checkOutputPath(path: string, flag = '--out'): void {
  try {
    formatOfPath(path);
  } catch (error) {
    throw new InvalidArgumentError(`${flag}: ${(error as Error).message}`);
  }
  const folder = dirname(path);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new InvalidArgumentError(`${flag}: the folder ${folder} does not exist; create it first.`);
}

/**
 * Loads the --model folder; a failure names the flag and the folder before the loader's reason. Unless
 * quiet, the model's warnings (values guessed, config keys ignored) go to stderr.
 */
export async function loadModelOption(dir: string, quiet: boolean | undefined): Promise<StableDiffusionModel> {
  const model = await loadModel(dir).catch((error: unknown) => {
    throw new Error(`--model ${dir}: ${error instanceof Error ? error.message : String(error)}`);
  });
  if (!quiet) for (const warning of model.warnings) console.warn(`Warning: ${warning}`);
  return model;
}

/** A JobContext drawing one progress bar per phase on stderr, or nothing when quiet. */
export function progressReporter(quiet: boolean | undefined): { ctx: JobContext; stop: () => void } {
  if (quiet) return { ctx: { progress: () => undefined, throwIfCancelled: () => undefined }, stop: () => undefined };
  const bar = new SingleBar({ format: '{phase} [{bar}] {value}/{total}', hideCursor: true, stream: process.stderr }, Presets.shades_classic);
  let phase: string | undefined;
  return {
    ctx: {
      progress: (event: ProgressEvent) => {
        if (event.phase !== phase) {
          if (phase) bar.stop();
          phase = event.phase;
          bar.start(event.total, event.step, { phase: event.phase.padEnd(7) });
        } else bar.update(event.step);
      },
      throwIfCancelled: () => undefined,
    },
    stop: () => bar.stop(),
  };
}
