/**
 * `generate`: text-to-image from the command line, e.g.
 *   npm run generate -- --prompt "a lighthouse at dusk" --seed 42 --out lighthouse.png
 * It prints the brush options that regenerate this image's trajectory exactly (--source generated).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_MODEL_DIR } from '../config/settings';
import { InvalidRequestError } from '../engine/errors';
import { writeImageFile } from '../engine/image';
import type { GenerateRequest } from '../engine/jobs';
import { generate } from '../engine/pipeline/generate';
import { validateGenerateRequest } from '../engine/pipeline/validate';
import { SCHEDULER_KINDS } from '../engine/schedulers/scheduler';
import { checkOutputPath, integer, loadModelOption, number, progressReporter } from './cli-options';

type GenerateCliOptions = Omit<GenerateRequest, 'width' | 'height' | 'previewEvery'> & {
  width?: number;
  height?: number;
  model: string;
  out: string;
  quiet?: boolean;
};

export function generateCommand(): Command {
  return new Command('generate')
    .description('Generate an image from a prompt (its trajectory can later be brushed exactly).')
    .requiredOption('--out <path>', 'output file (.png, .jpg)')
    .option('--prompt <text>', 'prompt', '')
    .option('--negative-prompt <text>', 'negative prompt', '')
    .option('--steps <N>', 'denoising steps', (v) => integer(v, '--steps'), 20)
    .option('--guidance <g>', 'classifier-free guidance scale', (v) => number(v, '--guidance'), 7.5)
    .addOption(new Option('--scheduler <kind>', 'scheduler').choices(SCHEDULER_KINDS).default('ddim'))
    .option('--seed <s>', 'seed of the initial noise', (v) => integer(v, '--seed'), 0)
    .option('--width <px>', "width, a multiple of 8 (default: the model's native size)", (v) => integer(v, '--width'))
    .option('--height <px>', "height, a multiple of 8 (default: the model's native size)", (v) => integer(v, '--height'))
    .option('--model <dir>', 'model folder', DEFAULT_MODEL_DIR)
    .option('--quiet', 'no progress bar or summary')
    .action(async (options: GenerateCliOptions) => runGenerateCli(options));
}

async function runGenerateCli(options: GenerateCliOptions): Promise<void> {
  checkOutputPath(options.out);
  const model = await loadModelOption(options.model, options.quiet);
  try {
    const { model: _folder, out: _out, quiet: _quiet, width, height, ...sampling } = options;
    const request: GenerateRequest = { ...sampling, width: width ?? model.nativeSize, height: height ?? model.nativeSize };
    try {
      validateGenerateRequest(request, model.sizeMultiple);
    } catch (error) {
      if (error instanceof InvalidRequestError) throw new InvalidArgumentError(`--${kebab(error.field)}: ${error.message}`);
      throw error;
    }
    const progress = progressReporter(options.quiet || !process.stderr.isTTY);
    const started = performance.now();
    const { image } = await generate(model, request, { ctx: progress.ctx }).finally(progress.stop);
    await writeImageFile(options.out, image);
    if (!options.quiet) {
      console.log(`Wrote ${options.out} (${image.width}x${image.height}, ${model.id} on ${model.provider}, ${((performance.now() - started) / 1000).toFixed(1)} s).`);
      console.log(`Brush it exactly with: --source generated --source-seed ${request.seed} --steps ${request.steps} --guidance ${request.guidance} --scheduler ${request.scheduler} --prompt ${JSON.stringify(request.prompt)} --negative-prompt ${JSON.stringify(request.negativePrompt)}`);
    }
  } finally {
    await model.release();
  }
}

function kebab(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
