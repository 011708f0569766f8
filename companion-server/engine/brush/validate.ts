/**
 * Checks a brush request before any work starts, for every entry point (CLI, server, worker). Errors are
 * InvalidRequestError with the offending field as the caller spells it (masks[1].step) and a sentence
 * that says how to fix it. Returns what the checks computed anyway (each mask's bounding box) so the
 * brush does not scan large masks twice.
 */
import { Bounds } from '../geometry';
import { InvalidRequestError } from '../errors';
import { grayBounds } from '../image';
import type { BrushRequest, GrayImage } from '../jobs';
import { validateGenerateRequest, validateSamplingParameters, validateSeed, MAX_IMAGE_SIDE } from '../pipeline/validate';

export const NOISE_MODES = ['additive', 'variance-preserving'] as const;
export const TRAJECTORY_SOURCES = ['generated', 'invert', 'noise'] as const;
export const CONTEXT_KINDS = ['auto', 'whole-image', 'bounding-box', 'padding'] as const;
/** K: variations run as one UNet batch, so memory grows with K. */
export const MAX_VARIATIONS = 8;
/** Per-mask strength alpha; beyond a few units the injected noise swamps any step's signal. */
export const MAX_STRENGTH = 4;
/** Grow and feather radii, in canvas pixels. */
export const MAX_MASK_MARGIN = 1024;
/** Canvas side limit for documents edited through context crops (Photoshop's own limit is 300,000). */
export const MAX_CANVAS_SIDE = 300_000;

export interface ValidatedBrush {
  /** Each mask's bounding box in source pixels (never empty). */
  maskBounds: Bounds[];
}

/** `sizeMultiple`: the model's (StableDiffusionModel.sizeMultiple), for the generation of a 'generated' source. */
export function validateBrushRequest(request: BrushRequest, sizeMultiple: number): ValidatedBrush {
  validateSamplingParameters(request);
  validateSource(request);
  const { steps } = request;
  if (!Number.isInteger(request.smoothingSteps) || request.smoothingSteps < 0 || request.smoothingSteps >= steps) {
    throw new InvalidRequestError('smoothingSteps', `smoothingSteps must be a whole number from 0 to ${steps - 1} (steps - 1); got ${request.smoothingSteps}.`);
  }
  if (!NOISE_MODES.includes(request.noiseMode)) {
    throw new InvalidRequestError('noiseMode', `noiseMode must be one of ${NOISE_MODES.join(', ')}; got ${String(request.noiseMode)}.`);
  }
  if (!Number.isInteger(request.variations) || request.variations < 1 || request.variations > MAX_VARIATIONS) {
    throw new InvalidRequestError('variations', `variations must be a whole number from 1 to ${MAX_VARIATIONS}; got ${request.variations}.`);
  }
  for (const field of ['growPixels', 'featherPixels'] as const) {
    const value = request[field] ?? 0;
    if (!Number.isFinite(value) || value < 0 || value > MAX_MASK_MARGIN) {
      throw new InvalidRequestError(field, `${field} must be a number of pixels from 0 to ${MAX_MASK_MARGIN}; got ${value}.`);
    }
  }
  validateContext(request);
  validateTrajectorySource(request, sizeMultiple);
  return { maskBounds: validateMasks(request) };
}

function validateSource(request: BrushRequest): void {
  const { source } = request;
  if (!source || !isImage(source, 4)) {
    throw new InvalidRequestError('source', 'source must be an RGBA image: width, height and width * height * 4 bytes.');
  }
  if (source.width > MAX_IMAGE_SIDE * 4 || source.height > MAX_IMAGE_SIDE * 4) {
    throw new InvalidRequestError('source', `source is ${source.width}x${source.height}; send only the context crop (planEdit says which), at most ${MAX_IMAGE_SIDE * 4} px a side.`);
  }
  const origin = request.sourceOrigin ?? { left: 0, top: 0 };
  const canvas = request.canvasSize ?? { width: source.width, height: source.height };
  if (![origin.left, origin.top].every(Number.isInteger) || origin.left < 0 || origin.top < 0) {
    throw new InvalidRequestError('sourceOrigin', `sourceOrigin must be whole, non-negative canvas pixels; got (${origin.left}, ${origin.top}).`);
  }
  const canvasOk = [canvas.width, canvas.height].every((side) => Number.isInteger(side) && side > 0 && side <= MAX_CANVAS_SIDE);
  if (!canvasOk || origin.left + source.width > canvas.width || origin.top + source.height > canvas.height) {
    throw new InvalidRequestError(
      'canvasSize',
      `The ${source.width}x${source.height} source at (${origin.left}, ${origin.top}) must lie inside the canvas (${canvas.width}x${canvas.height}); send the document's size as canvasSize.`,
    );
  }
}

function validateMasks(request: BrushRequest): Bounds[] {
  const { masks, source, steps, smoothingSteps } = request;
  if (!Array.isArray(masks) || masks.length === 0) {
    throw new InvalidRequestError('masks', 'masks must hold at least one mask: select the region to edit.');
  }
  // Injection must leave at least one step to denoise, and happen no later than the merge at t = N - r.
  const lastStep = Math.min(steps - smoothingSteps, steps - 1);
  return masks.map((entry, k) => {
    const field = `masks[${k}]`;
    if (!isImage(entry.mask, 1) || entry.mask.width !== source.width || entry.mask.height !== source.height) {
      const size = entry.mask ? `${entry.mask.width}x${entry.mask.height}` : 'missing';
      throw new InvalidRequestError(`${field}.mask`, `${field}.mask is ${size} but the source is ${source.width}x${source.height}; masks must be single-channel images of the source's size.`);
    }
    if (!Number.isInteger(entry.step) || entry.step < 0 || entry.step > lastStep) {
      throw new InvalidRequestError(
        `${field}.step`,
        `${field}.step must be a whole number from 0 to ${lastStep} (no later than the merge at steps - smoothingSteps, and before the last step); got ${entry.step}.`,
      );
    }
    if (!Number.isFinite(entry.strength) || entry.strength < 0 || entry.strength > MAX_STRENGTH) {
      throw new InvalidRequestError(`${field}.strength`, `${field}.strength must be a number from 0 to ${MAX_STRENGTH}; got ${entry.strength}.`);
    }
    validateSeed(`${field}.seed`, entry.seed);
    if (entry.seed + request.variations - 1 > Number.MAX_SAFE_INTEGER) {
      throw new InvalidRequestError(`${field}.seed`, `${field}.seed + variations must stay below ${Number.MAX_SAFE_INTEGER}; pick a smaller seed.`);
    }
    if (entry.prompt !== undefined && typeof entry.prompt !== 'string') {
      throw new InvalidRequestError(`${field}.prompt`, `${field}.prompt must be text or absent.`);
    }
    const bounds = grayBounds(entry.mask);
    if (!bounds) throw new InvalidRequestError(`${field}.mask`, `${field}.mask is empty (all zero); select the region to edit.`);
    return bounds;
  });
}

function validateContext(request: BrushRequest): void {
  const { context } = request;
  if (!context || !CONTEXT_KINDS.includes(context.kind)) {
    throw new InvalidRequestError('context', `context.kind must be one of ${CONTEXT_KINDS.join(', ')}; got ${String(context?.kind)}.`);
  }
  if (context.kind === 'padding' && (!Number.isFinite(context.pixels) || context.pixels < 0)) {
    throw new InvalidRequestError('context.pixels', `context.pixels must be a number of pixels >= 0; got ${context.pixels}.`);
  }
}

function validateTrajectorySource(request: BrushRequest, sizeMultiple: number): void {
  const { trajectory, source } = request;
  if (!trajectory || !TRAJECTORY_SOURCES.includes(trajectory.kind)) {
    throw new InvalidRequestError('trajectory', `trajectory.kind must be one of ${TRAJECTORY_SOURCES.join(', ')}; got ${String(trajectory?.kind)}.`);
  }
  if (trajectory.kind === 'noise') validateSeed('trajectory.seed', trajectory.seed);
  if (trajectory.kind !== 'generated') return;
  const { generation } = trajectory;
  try {
    validateGenerateRequest(generation, sizeMultiple);
  } catch (error) {
    // Name the generation's field, not the edit's: its seed is not masks[k].seed, its width not the crop's.
    if (error instanceof InvalidRequestError) throw new InvalidRequestError(`trajectory.generation.${error.field}`, error.message);
    throw error;
  }
  if (generation.width !== source.width || generation.height !== source.height) {
    throw new InvalidRequestError(
      'trajectory.generation',
      `The generated image was ${generation.width}x${generation.height} but the source is ${source.width}x${source.height}; send the whole generated layer, or use trajectory kind "invert".`,
    );
  }
  for (const field of ['steps', 'scheduler'] as const) {
    if (generation[field] !== request[field]) {
      throw new InvalidRequestError(
        field,
        `${field} is ${request[field]} but the image was generated with ${generation[field]}; a regenerated trajectory needs the generation's ${field}.`,
      );
    }
  }
}

function isImage(image: GrayImage | undefined, channels: number): boolean {
  return (
    !!image &&
    Number.isInteger(image.width) &&
    Number.isInteger(image.height) &&
    image.width > 0 &&
    image.height > 0 &&
    image.data instanceof Uint8Array &&
    image.data.length === image.width * image.height * channels
  );
}
