/**
 * Decides, before any pixel moves, which part of the canvas a brush edit reads, at which size the model
 * processes it, and where the masks fall in the latent grid. Pure and dependency-free: the Photoshop
 * panel runs it to read only the context crop, and the engine runs it again on the pixels it received.
 *
 * Four coordinate spaces (names used throughout the brush):
 * - canvas: the document's pixels, origin at its top-left. Selections, the available pixels and the
 *   context crop are given here.
 * - context crop: the crop's own pixels (origin at the crop's top-left, same scale as the canvas). The
 *   results are returned at this size and placed at the crop's canvas offset.
 * - processing: the crop resampled to the model's grid, about the model's native area (SD1.5: 512x512),
 *   aspect ratio kept, in multiples of 64 pixels: the VAE factor (8) times the UNet's three 2x
 *   downsamplings. ONNX exports upsample by exactly 2, so other sizes break the UNet's skip connections.
 * - latent: processing / VAE factor; one cell per 8x8 processing pixels.
 *
 * The automatic context follows Krita AI Diffusion's choice (anchors.md): padding
 * max(longest canvas side / 16, mean selection side / 2), at least the model's native size where the
 * canvas allows, clamped to the canvas and to the pixels available.
 */
import type { ContextOption } from '../jobs';
import { Bounds, type RectLike } from './bounds';
import { Extent } from './extent';

export interface EditPlanInput {
  /** The document size. */
  canvas: { width: number; height: number };
  /** The canvas pixels the caller can read (default: the whole canvas). */
  available?: RectLike;
  /** The bounding box of the masks as drawn, in canvas pixels. */
  selection: RectLike;
  /** Grow + feather the masks will get: the diffusion mask reaches this far past the selection. */
  maskMargin?: number;
  context: ContextOption;
  model: { nativeSize: number; vaeScaleFactor: number };
  /** The processing size is a multiple of this many pixels (default: PROCESSING_MULTIPLE_LATENT_CELLS * VAE factor). */
  sizeMultiple?: number;
  /**
   * A latent trajectory already fixes the grid (a source generated at this size): the context is then all
   * the available pixels, processed at exactly this size.
   */
  fixedProcessingSize?: { width: number; height: number };
  /**
   * The context crop of the previous edit on the same pixels. With the auto option it is kept while it
   * still holds the selection and its margin, so the edit reuses that crop's cached trajectory (an
   * inverted source is keyed by the crop's pixels) instead of inverting a new crop. Send the kept crop
   * with the 'whole-image' option so the engine processes exactly it.
   */
  previousContext?: RectLike;
}

export interface EditPlan {
  /** The context crop, in canvas pixels. */
  context: Bounds;
  /** The size the model processes (multiples of sizeMultiple). */
  processing: Extent;
  /** processing / VAE factor. */
  latent: Extent;
  /** processing size / context size, per axis. */
  scale: { x: number; y: number };
  /** The selection (with its margin), in context-crop pixels. */
  selectionInContext: Bounds;
  /** The latent cells the selection (with its margin) touches. */
  selectionInLatent: Bounds;
}

/** Latent cells the processing size is a multiple of: 2^3 for the UNet's three downsamplings. */
export const PROCESSING_MULTIPLE_LATENT_CELLS = 8;
/** Fraction of the longest canvas side used as the minimum auto padding (Krita: 1/16). */
export const AUTO_PADDING_CANVAS_FRACTION = 1 / 16;
/** Fraction of the mean selection side used as auto padding (Krita: 1/2). */
export const AUTO_PADDING_SELECTION_FRACTION = 1 / 2;

export function planEdit(input: EditPlanInput): EditPlan {
  const factor = input.model.vaeScaleFactor;
  const canvas = new Extent(input.canvas.width, input.canvas.height);
  if (canvas.isEmpty) throw new RangeError(`The canvas is empty (${canvas}); open a document with pixels.`);
  const limit = Bounds.from(input.available ?? Bounds.ofExtent(canvas)).clamp(canvas);
  if (limit.isEmpty) {
    throw new RangeError(`The available pixels (${Bounds.from(input.available!)}) lie outside the ${canvas} canvas.`);
  }
  const drawn = Bounds.from(input.selection).intersect(limit);
  if (drawn.isEmpty) {
    throw new RangeError('The mask is empty inside the image: select the region to edit before brushing.');
  }
  const selection = drawn.pad(Math.max(0, Math.ceil(input.maskMargin ?? 0))).intersect(limit);

  let context: Bounds;
  let processing: Extent;
  if (input.fixedProcessingSize) {
    context = limit;
    processing = new Extent(input.fixedProcessingSize.width, input.fixedProcessingSize.height);
    if (processing.width % factor !== 0 || processing.height % factor !== 0) {
      throw new RangeError(`The trajectory's size ${processing} is not a multiple of ${factor}.`);
    }
  } else {
    const keep = input.context.kind === 'auto' && input.previousContext && stillCovers(input.previousContext, selection, limit);
    context = keep ? Bounds.from(input.previousContext!) : contextCrop(input.context, selection, canvas, limit, input.model.nativeSize);
    processing = processingSize(context.extent, input.model.nativeSize, input.sizeMultiple ?? factor * PROCESSING_MULTIPLE_LATENT_CELLS);
  }

  const scale = { x: processing.width / context.width, y: processing.height / context.height };
  const selectionInContext = selection.relativeTo(context);
  return {
    context,
    processing,
    latent: processing.divideExactly(factor),
    scale,
    selectionInContext,
    selectionInLatent: selectionInContext.scaleOutward(scale.x / factor, scale.y / factor),
  };
}

function contextCrop(option: ContextOption, selection: Bounds, canvas: Extent, limit: Bounds, nativeSize: number): Bounds {
  switch (option.kind) {
    case 'whole-image':
      return limit;
    case 'bounding-box':
      return selection;
    case 'padding':
      if (!Number.isFinite(option.pixels) || option.pixels < 0) {
        throw new RangeError(`Context padding must be a number of pixels >= 0; got ${option.pixels}.`);
      }
      return selection.pad(Math.round(option.pixels)).intersect(limit);
    case 'auto': {
      const padding = Math.round(
        Math.max(
          canvas.longestSide * AUTO_PADDING_CANVAS_FRACTION,
          ((selection.width + selection.height) / 2) * AUTO_PADDING_SELECTION_FRACTION,
        ),
      );
      return selection.pad(padding).intersect(limit).expandTo(nativeSize, nativeSize, limit);
    }
    default: {
      const unknown: never = option;
      throw new RangeError(`Unknown context option ${JSON.stringify(unknown)}; use auto, whole-image, bounding-box or padding.`);
    }
  }
}

function stillCovers(previous: RectLike, selection: Bounds, limit: Bounds): boolean {
  const kept = Bounds.from(previous);
  return !kept.isEmpty && limit.contains(kept) && kept.contains(selection);
}

/** Scales the crop to about the model's native area, keeping its aspect ratio, in multiples of `multiple`. */
export function processingSize(crop: Extent, nativeSize: number, multiple: number): Extent {
  const scale = nativeSize / Math.sqrt(crop.area);
  const side = (pixels: number) => Math.max(multiple, Math.round((pixels * scale) / multiple) * multiple);
  return new Extent(side(crop.width), side(crop.height));
}
