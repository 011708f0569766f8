/**
 * `brush`: one Diffusion Brush edit from the command line, e.g.
 *   npm run brush -- --image in.png --mask mask.png --step 5 --strength 0.8 --seed 42 --out out.png
 * Per-mask options (--step, --strength, --seed, --mask-prompt) take one value per --mask, or one value
 * for all. Everything is read and checked (by the engine's own request validator) before any work
 * starts, and files are written only once every variation is done.
 */
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_MODEL_DIR } from '../config/settings';
import { runBrush } from '../engine/brush/run-brush';
import { TrajectoryCache } from '../engine/brush/trajectory-cache';
import { CONTEXT_KINDS, NOISE_MODES, validateBrushRequest } from '../engine/brush/validate';
import { InvalidRequestError } from '../engine/errors';
import { compositeThroughMask, cropPixels, decodeGray, decodeRgba, pastePixels, writeImageFile } from '../engine/image';
import type { BrushRequest, ContextOption, GrayImage, NoiseMode, RgbaImage, TrajectorySource } from '../engine/jobs';
import { SCHEDULER_KINDS, type SchedulerKind } from '../engine/schedulers/scheduler';
import { checkOutputPath, integer, loadModelOption, number, progressReporter } from './cli-options';

interface BrushCliOptions {
  image: string;
  mask: string[];
  step: number[];
  strength: number[];
  seed: number[];
  maskPrompt?: string[];
  out: string;
  model: string;
  prompt: string;
  negativePrompt: string;
  steps: number;
  guidance: number;
  scheduler: SchedulerKind;
  smoothing: number;
  noiseMode: NoiseMode;
  source: 'invert' | 'noise' | 'generated';
  sourceSeed: number;
  variations: number;
  context: string;
  grow: number;
  feather: number;
  quiet?: boolean;
}

/** Request fields (as the engine validator names them) -> the flag to fix. */
const FLAG_OF_FIELD: Record<string, string> = {
  source: '--image',
  mask: '--mask',
  step: '--step',
  strength: '--strength',
  seed: '--seed',
  prompt: '--prompt',
  negativePrompt: '--negative-prompt',
  steps: '--steps',
  guidance: '--guidance',
  scheduler: '--scheduler',
  smoothingSteps: '--smoothing',
  noiseMode: '--noise-mode',
  variations: '--variations',
  context: '--context',
  growPixels: '--grow',
  featherPixels: '--feather',
  trajectory: '--source',
  'trajectory.seed': '--source-seed',
  'trajectory.generation.seed': '--source-seed',
  'trajectory.generation.width': '--image',
  'trajectory.generation.height': '--image',
};

export function brushCommand(): Command {
  const collect = (parse: (value: string, flag: string) => number, flag: string) => (value: string, previous: number[] | undefined) => [
    ...(previous ?? []),
    parse(value, flag),
  ];
  return new Command('brush')
    .description('Re-noise the masked region of an image at an intermediate diffusion step and regenerate it.')
    .requiredOption('--image <path>', 'source image (PNG or JPEG)')
    .requiredOption('--mask <path>', 'mask image of the same size, white = edit (repeat for several masks)', (v: string, p: string[] | undefined) => [...(p ?? []), v])
    .requiredOption('--out <path>', 'output file (.png, .jpg); with --variations K > 1, -1, -2 ... are added before the extension')
    .option('--step <n>', 'injection step n, 0 .. steps - smoothing (one per mask, or one for all)', collect(integer, '--step'))
    .option('--strength <alpha>', 'noise strength alpha (one per mask, or one for all)', collect(number, '--strength'))
    .option('--seed <s>', 'seed of the injected noise (one per mask, or one for all)', collect(integer, '--seed'))
    .option('--mask-prompt <text>', 'prompt for one mask\'s region (one per mask, in order; "" keeps the base prompt)', (v: string, p: string[] | undefined) => [...(p ?? []), v])
    .option('--model <dir>', 'model folder', DEFAULT_MODEL_DIR)
    .option('--prompt <text>', 'prompt of the edit (and of the source for --source generated)', '')
    .option('--negative-prompt <text>', 'negative prompt', '')
    .option('--steps <N>', 'denoising steps N', (v) => integer(v, '--steps'), 20)
    .option('--guidance <g>', 'classifier-free guidance scale', (v) => number(v, '--guidance'), 7.5)
    .addOption(new Option('--scheduler <kind>', 'scheduler').choices(SCHEDULER_KINDS).default('ddim'))
    .option('--smoothing <r>', 'full-image steps after the merge (the paper: 2)', (v) => integer(v, '--smoothing'), 2)
    .addOption(new Option('--noise-mode <mode>', 'noise injection formula').choices(NOISE_MODES).default('additive'))
    .addOption(
      new Option('--source <kind>', 'where the source trajectory comes from: DDIM inversion, forward noise, or regenerate (the image was generated with --prompt, --steps, --guidance, --scheduler and --source-seed)')
        .choices(['invert', 'noise', 'generated'])
        .default('invert'),
    )
    .option('--source-seed <s>', 'generation seed (--source generated) or noise seed (--source noise)', (v) => integer(v, '--source-seed'), 0)
    .option('--variations <K>', 'variations, seeds + 0 .. K-1, computed as one batch', (v) => integer(v, '--variations'), 1)
    .option('--context <kind>', `context crop: ${CONTEXT_KINDS.filter((k) => k !== 'padding').join(', ')}, or padding in pixels`, 'auto')
    .option('--grow <px>', 'grow the diffusion mask by this many pixels', (v) => number(v, '--grow'), 0)
    .option('--feather <px>', 'feather the diffusion mask by this many pixels', (v) => number(v, '--feather'), 0)
    .option('--quiet', 'no progress bar or summary')
    .action(async (options: BrushCliOptions) => runBrushCli(options));
}

async function runBrushCli(options: BrushCliOptions): Promise<void> {
  const outputs = outputPaths(options.out, options.variations);
  const source = await readInput('--image', options.image, decodeRgba);
  const masks = await Promise.all(options.mask.map((path) => readInput('--mask', path, decodeGray)));
  const request = buildRequest(options, source, masks);
  const model = await loadModelOption(options.model, options.quiet);
  try {
    withFlagNames(() => validateBrushRequest(request, model.sizeMultiple));
    const progress = progressReporter(options.quiet || !process.stderr.isTTY);
    const result = await runBrush(model, request, { ctx: progress.ctx, cache: new TrajectoryCache() }).finally(progress.stop);
    for (const [i, variation] of result.variations.entries()) {
      const { left, top, width, height } = variation.placement;
      const sourceCrop = cropPixels(source, { left, top, width, height }, 4);
      await writeImageFile(outputs[i], pastePixels(source, compositeThroughMask(sourceCrop, variation.image, variation.layerMask), left, top));
      if (!options.quiet) console.log(`Wrote ${outputs[i]} (variation ${i}: mask seeds + ${variation.index}, crop ${width}x${height} at ${left},${top}).`);
    }
  } finally {
    await model.release();
  }
}

function buildRequest(options: BrushCliOptions, source: RgbaImage, masks: GrayImage[]): BrushRequest {
  const count = masks.length;
  const perMask = <T>(values: T[] | undefined, flag: string, fallback?: T): T[] => {
    if (!values || values.length === 0) {
      if (fallback === undefined) throw new InvalidArgumentError(`${flag} is required (one value per --mask, or one for all).`);
      return new Array<T>(count).fill(fallback);
    }
    if (values.length === 1) return new Array<T>(count).fill(values[0]);
    if (values.length !== count) throw new InvalidArgumentError(`${flag} was given ${values.length} times for ${count} masks; give one per --mask, or one for all.`);
    return values;
  };
  const steps = perMask(options.step, '--step');
  const strengths = perMask(options.strength, '--strength');
  const seeds = perMask(options.seed, '--seed', 0);
  const prompts = perMask(options.maskPrompt, '--mask-prompt', '');
  return {
    source,
    masks: masks.map((mask, k) => ({ mask, step: steps[k], strength: strengths[k], seed: seeds[k], prompt: prompts[k] || undefined })),
    prompt: options.prompt,
    negativePrompt: options.negativePrompt,
    steps: options.steps,
    guidance: options.guidance,
    scheduler: options.scheduler,
    smoothingSteps: options.smoothing,
    noiseMode: options.noiseMode,
    trajectory: trajectorySource(options, source),
    variations: options.variations,
    context: contextOption(options.context),
    growPixels: options.grow,
    featherPixels: options.feather,
  };
}

function trajectorySource(options: BrushCliOptions, source: RgbaImage): TrajectorySource {
  switch (options.source) {
    case 'invert':
      return { kind: 'invert' };
    case 'noise':
      return { kind: 'noise', seed: options.sourceSeed };
    case 'generated':
      return {
        kind: 'generated',
        generation: {
          prompt: options.prompt,
          negativePrompt: options.negativePrompt,
          steps: options.steps,
          guidance: options.guidance,
          scheduler: options.scheduler,
          seed: options.sourceSeed,
          width: source.width,
          height: source.height,
        },
      };
  }
}

function contextOption(value: string): ContextOption {
  if (value === 'auto' || value === 'whole-image' || value === 'bounding-box') return { kind: value };
  const pixels = Number(value);
  if (value.trim() === '' || !Number.isFinite(pixels) || pixels < 0) {
    throw new InvalidArgumentError(`--context must be auto, whole-image, bounding-box or a padding in pixels; got "${value}".`);
  }
  return { kind: 'padding', pixels };
}

/** Output file names, checked before any work; with K > 1 variations, -1 .. -K before the extension. */
function outputPaths(out: string, variations: number): string[] {
  checkOutputPath(out);
  if (!Number.isInteger(variations) || variations <= 1) return [out];
  const ext = extname(out);
  return Array.from({ length: variations }, (_, i) => `${out.slice(0, out.length - ext.length)}-${i + 1}${ext}`);
}

async function readInput<T>(flag: string, path: string, read: (path: string) => Promise<T>): Promise<T> {
  if (!existsSync(path)) throw new InvalidArgumentError(`${flag}: ${path} does not exist.`);
  return read(path).catch((error: unknown) => {
    throw new InvalidArgumentError(`${flag}: cannot read ${path} as a PNG or JPEG image (${error instanceof Error ? error.message : String(error)}).`);
  });
}

/** Re-throws the engine's validation errors with the flag to fix in front. */
function withFlagNames(check: () => void): void {
  try {
    check();
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    const leaf = error.field.replace(/^masks\[\d+\]\.?/, '') || 'mask';
    const root = error.field.split(/[.[]/)[0];
    const flag = FLAG_OF_FIELD[leaf] ?? FLAG_OF_FIELD[root] ?? error.field;
    const maskNumber = /^masks\[(\d+)\]/.exec(error.field)?.[1];
    const which = maskNumber === undefined ? '' : ` (mask ${Number(maskNumber) + 1})`;
    throw new InvalidArgumentError(`${flag}${which}: ${error.message}`);
  }
}
