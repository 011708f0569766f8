/**
 * The brush in latent space (algorithm.md, "One mask" and "Several masks"): from the source trajectory,
 * inject fresh noise into each region at its own step, regenerate, merge with the source at t = N - r,
 * smooth for r steps, and return Z'_N for K variations computed as one batch.
 *
 * Our decisions where the papers are silent:
 * - Outside the regions injected so far the latents are reset to the source trajectory after every step
 *   up to the merge (the paper's merge at t, applied at each step as in Blended Latent Diffusion), so the
 *   untouched area never drifts and a region not yet injected still follows the source.
 * - Where masks overlap the later one in the list wins (algorithm.md): cells are shared out by layered
 *   weights, and a mask's injection, prompt and departure from the source use only its own share.
 * - Per-region prompts run as extra batch rows (one per distinct prompt), and after each step the rows are
 *   combined with per-pixel weights that sum to 1. Every scheduler we ship updates the sample affinely in
 *   the model output (and in its stored history) with coefficients that do not depend on it, so this
 *   equals stepping with the combined prediction sum_k m_k eps(prompt_k) + (1 - sum m_k) eps(base),
 *   exactly (DDIM's optional clip_sample is the one non-affine exception).
 * - Stochastic schedulers draw their per-step noise from the source trajectory's seed, so strength 0
 *   reproduces the source; variations differ through their injected noise eps' (seed + i).
 */
import type { MaskPlane } from '../image';
import { layerWeights } from '../image';
import type { JobContext, NoiseMode, RgbaImage } from '../jobs';
import type { Unet } from '../model/components';
import { denoise } from '../pipeline/denoise';
import { gaussianNoise } from '../random';
import { sampleScale, type Scheduler } from '../schedulers/scheduler';
import type { Tensor } from '../tensor';
import { concatBatch, repeatEachRow } from '../tensor';
import { combinePromptRows, injectNoise, keepSourceOutside } from './latent-ops';
import type { SourceTrajectory } from './trajectory-cache';

/** One mask of the edit, already at latent resolution. */
export interface LatentRegion {
  mask: MaskPlane;
  step: number;
  strength: number;
  seed: number;
  /** Index into RegenerationInput.prompts (0: the base prompt). */
  prompt: number;
}

export interface RegenerationInput {
  unet: Unet;
  /** Configured with setTimesteps(N); its multistep history is cleared here. */
  scheduler: Scheduler;
  source: SourceTrajectory;
  regions: readonly LatentRegion[];
  /** Conditional hidden states [1, seq, hidden] per prompt; index 0 is the base prompt. */
  prompts: readonly Tensor[];
  /** Unconditional (negative prompt) hidden states [1, seq, hidden]. */
  negative: Tensor;
  guidance: number;
  noiseMode: NoiseMode;
  smoothingSteps: number;
  variations: number;
  ctx: JobContext;
  previewEvery?: number;
  preview?: (predOriginalSample: Tensor) => RgbaImage;
  /** Sees Z'_i (one row per variation) after every step's merge and injections, from the first injection on. */
  observe?: (step: number, latents: Tensor) => void;
}

/** Z'_N, one row per variation (variation i uses every region's seed + i). */
export async function regenerateRegions(input: RegenerationInput): Promise<Tensor> {
  const { scheduler, source, regions, prompts, variations } = input;
  const steps = scheduler.timesteps.length;
  const mergeStep = steps - input.smoothingSteps;
  const firstStep = Math.min(...regions.map((region) => region.step));
  const promptCount = prompts.length;
  scheduler.reset();
  // A multistep scheduler resumes with the history the source run had, so strength 0 retraces it exactly.
  const previousPrediction = source.predictions?.[firstStep - 1];
  if (previousPrediction) scheduler.resume(firstStep, repeatEachRow(previousPrediction, variations * promptCount));

  // Each cell belongs to the regions by their layered weights: a later mask wins where masks overlap, for
  // its injection, its prompt and when its region leaves the source trajectory.
  const weights = layerWeights(regions.map((region) => region.mask));
  let union: MaskPlane | undefined;
  let promptWeights: MaskPlane[] = [];
  // Injects the regions whose step is `step`, and refreshes what depends on the set of active regions.
  const inject = (step: number, latents: Tensor): Tensor => {
    if (!regions.some((region) => region.step === step)) return latents;
    const scale = sampleScale(scheduler.noiseLevel(step));
    let out = latents;
    regions.forEach((region, k) => {
      if (region.step !== step) return;
      out = injectNoise(out, variationNoise(latents.dims, region.seed, variations), weights[k], region.strength, input.noiseMode, scale);
    });
    const active = regions.flatMap((region, k) => (region.step <= step ? [k] : []));
    union = sumPlanes(active.map((k) => weights[k]));
    promptWeights = promptPlanes(active.map((k) => weights[k]), active.map((k) => regions[k]), promptCount);
    return out;
  };

  const start = inject(firstStep, repeatEachRow(sourceAt(source, firstStep), variations));
  input.observe?.(firstStep, start);
  const conditioning = {
    uncond: input.negative,
    cond: concatBatch(Array.from({ length: variations }, () => prompts).flat()),
  };
  const final = await denoise(repeatEachRow(start, promptCount), firstStep, steps, {
    unet: input.unet,
    scheduler,
    conditioning,
    guidance: input.guidance,
    noiseSeeds: new Array(variations * promptCount).fill(source.noiseSeed),
    ctx: input.ctx,
    previewEvery: input.previewEvery,
    preview: input.preview,
    afterStep: (index, stepped) => {
      const step = index + 1;
      let latents = promptCount > 1 ? combinePromptRows(stepped, promptWeights) : stepped;
      if (step <= mergeStep) latents = keepSourceOutside(latents, sourceAt(source, step), union!);
      latents = inject(step, latents);
      input.observe?.(step, latents);
      return repeatEachRow(latents, promptCount);
    },
  });
  return promptCount > 1 ? combinePromptRows(final, promptWeights) : final;
}

function sourceAt(source: SourceTrajectory, step: number): Tensor {
  const latent = source.latents[step];
  if (!latent) throw new Error(`The source trajectory starts at step ${source.firstStep}, not ${step}; rebuild it from the earliest injection step.`);
  return latent;
}

/** eps' for every variation row: row i drawn from seed + i. */
function variationNoise(dims: readonly number[], seed: number, variations: number): Tensor {
  const rowDims = [1, ...dims.slice(1)];
  return concatBatch(Array.from({ length: variations }, (_, i) => gaussianNoise(rowDims, seed + i)));
}

function sumPlanes(planes: readonly MaskPlane[]): MaskPlane {
  const { width, height } = planes[0];
  const data = new Float32Array(width * height);
  for (const plane of planes) for (let i = 0; i < data.length; i++) data[i] += plane.data[i];
  return { width, height, data };
}

/** Per-prompt weight planes from the layered region weights; the base prompt takes what the others leave. */
function promptPlanes(weights: readonly MaskPlane[], regions: readonly LatentRegion[], promptCount: number): MaskPlane[] {
  const { width, height } = weights[0];
  const planes = Array.from({ length: promptCount }, () => new Float32Array(width * height));
  planes[0].fill(1);
  regions.forEach((region, k) => {
    if (region.prompt === 0) return;
    for (let i = 0; i < planes[0].length; i++) {
      planes[region.prompt][i] += weights[k].data[i];
      planes[0][i] -= weights[k].data[i];
    }
  });
  return planes.map((data) => ({ width, height, data }));
}
