/**
 * A brush edit from pixels to pixels: validate, plan the context crop (geometry/plan-edit.ts), bring the
 * masks to latent resolution, get the source trajectory (cached), regenerate the regions for K
 * variations in one batch, decode, scale back to the crop's pixels, and keep the source's exact bytes
 * wherever the layer mask is 0.
 */
import { Bounds, planEdit, type EditPlan } from '../geometry';
import { areaAverage, cropPixels, featherMask, growMask, maskFromGray, replaceWhereMasked, resizeRgba } from '../image';
import type { BrushMask, BrushRequest, BrushResult, BrushVariation, GrayImage, JobContext } from '../jobs';
import type { StableDiffusionModel } from '../model/components';
import { encodePrompts } from '../pipeline/conditioning';
import { decodeLatents } from '../pipeline/vae';
import { latentPreview, type LatentRgbCoefficients } from '../preview';
import { createScheduler } from '../schedulers';
import type { Tensor } from '../tensor';
import { regenerateRegions, type LatentRegion } from './regenerate';
import { sourceTrajectory } from './source-trajectory';
import type { TrajectoryCache } from './trajectory-cache';
import { validateBrushRequest } from './validate';

export interface BrushOptions {
  ctx: JobContext;
  cache: TrajectoryCache;
  /** Preview coefficients (preview/latentRgbFor); previews are sent only when given and previewEvery > 0. */
  previewCoefficients?: LatentRgbCoefficients;
  /** Sees the regenerated latents after every step (tests check the merge invariants with it). */
  observeLatents?: (step: number, latents: Tensor) => void;
}

export async function runBrush(model: StableDiffusionModel, request: BrushRequest, options: BrushOptions): Promise<BrushResult> {
  const { maskBounds } = validateBrushRequest(request, model.sizeMultiple);
  const { ctx } = options;
  const plan = planBrush(model, request, maskBounds);
  const origin = request.sourceOrigin ?? { left: 0, top: 0 };
  const crop = plan.context.relativeTo(origin);
  const sourceCrop = cropPixels(request.source, crop, 4);
  const maskCrops = request.masks.map((entry) => cropPixels(entry.mask, crop, 1));

  const processed = await resizeRgba(sourceCrop, plan.processing.width, plan.processing.height);
  const regions = latentRegions(request, maskCrops, plan);
  const firstStep = Math.min(...regions.map((region) => region.step));
  const source = await sourceTrajectory({ model, request, processed, firstStep, ctx, cache: options.cache });

  const scheduler = createScheduler(request.scheduler, model.schedulerConfig);
  scheduler.setTimesteps(request.steps);
  const prompts = distinctPrompts(request);
  const [negative, ...promptStates] = await encodePrompts(model, [request.negativePrompt, ...prompts]);
  const coefficients = options.previewCoefficients;
  const edited = await regenerateRegions({
    unet: model.unet,
    scheduler,
    source,
    regions,
    prompts: promptStates,
    negative,
    guidance: request.guidance,
    noiseMode: request.noiseMode,
    smoothingSteps: request.smoothingSteps,
    variations: request.variations,
    ctx,
    previewEvery: request.previewEvery,
    preview: coefficients ? (x0) => latentPreview(x0, coefficients) : undefined,
    observe: options.observeLatents,
  });

  ctx.throwIfCancelled();
  ctx.progress({ phase: 'decode', step: 0, total: 1 });
  const decoded = await decodeLatents(model, edited);
  ctx.progress({ phase: 'decode', step: 1, total: 1 });
  const layerMask = unionOfMasks(maskCrops);
  // Only the drawn masks' box is scaled back: outside it the source's own bytes are kept anyway.
  const drawn = unionBounds(maskBounds).offsetBy(origin).relativeTo(plan.context);
  const variations: BrushVariation[] = [];
  for (const [index, image] of decoded.entries()) {
    const scaled = await resizeRgba(image, sourceCrop.width, sourceCrop.height, drawn);
    // The soft band stays fully edited: Photoshop blends it through the layer mask (compositeThroughMask for files).
    variations.push({ index, image: replaceWhereMasked(sourceCrop, scaled, layerMask, drawn), placement: boundsToRect(plan.context), layerMask });
  }
  const { source: _source, masks, ...rest } = request;
  return { variations, parameters: { ...rest, masks: masks.map(({ mask: _mask, ...parameters }) => parameters) } };
}

/** The plan for this request: the masks' union bounding box in canvas pixels, grow + feather as margin. */
export function planBrush(model: StableDiffusionModel, request: BrushRequest, maskBounds: readonly Bounds[]): EditPlan {
  const origin = request.sourceOrigin ?? { left: 0, top: 0 };
  const { source } = request;
  const selection = unionBounds(maskBounds);
  const generation = request.trajectory.kind === 'generated' ? request.trajectory.generation : undefined;
  return planEdit({
    canvas: request.canvasSize ?? { width: source.width, height: source.height },
    available: new Bounds(origin.left, origin.top, source.width, source.height),
    selection: selection.offsetBy(origin),
    maskMargin: (request.growPixels ?? 0) + (request.featherPixels ?? 0),
    context: request.context,
    model,
    fixedProcessingSize: generation && { width: generation.width, height: generation.height },
  });
}

function unionBounds(bounds: readonly Bounds[]): Bounds {
  return bounds.reduce((union, b) =>
    Bounds.fromEdges(Math.min(union.left, b.left), Math.min(union.top, b.top), Math.max(union.right, b.right), Math.max(union.bottom, b.bottom)),
  );
}

/** Each mask grown and feathered in crop pixels (when asked), then area-averaged to the latent grid. */
function latentRegions(request: BrushRequest, maskCrops: readonly GrayImage[], plan: EditPlan): LatentRegion[] {
  const prompts = distinctPrompts(request);
  const grow = request.growPixels ?? 0;
  const feather = request.featherPixels ?? 0;
  const { width, height } = plan.latent;
  return request.masks.map((entry, k) => {
    const drawn = maskCrops[k];
    return {
      mask: grow > 0 || feather > 0 ? areaAverage(featherMask(growMask(maskFromGray(drawn), grow), feather), width, height) : areaAverage(drawn, width, height, 255),
      step: entry.step,
      strength: entry.strength,
      seed: entry.seed,
      prompt: prompts.indexOf(regionPrompt(request, entry)),
    };
  });
}

/** The base prompt first, then each distinct per-mask prompt. */
function distinctPrompts(request: BrushRequest): string[] {
  return [...new Set([request.prompt, ...request.masks.map((entry) => regionPrompt(request, entry))])];
}

/** A mask's own prompt; absent or blank (an empty panel field) means the base prompt. */
function regionPrompt(request: BrushRequest, entry: BrushMask): string {
  return entry.prompt?.trim() ? entry.prompt : request.prompt;
}

/** The layer mask: the masks as drawn, united (per-pixel maximum). */
function unionOfMasks(masks: readonly GrayImage[]): GrayImage {
  const data = new Uint8Array(masks[0].data);
  for (const mask of masks.slice(1)) for (let i = 0; i < data.length; i++) data[i] = Math.max(data[i], mask.data[i]);
  return { width: masks[0].width, height: masks[0].height, data };
}

function boundsToRect(bounds: Bounds) {
  return { left: bounds.left, top: bounds.top, width: bounds.width, height: bounds.height };
}
