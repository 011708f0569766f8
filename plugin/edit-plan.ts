/**
 * What an edit sends, decided before any pixel moves: which crop of the source to read (the
 * engine's own planEdit, so the panel reads exactly the context the engine will use), the brush
 * request built from the panel's settings, and the size and place of a generated image. Pure.
 */
import { Extent, planEdit, processingSize, PROCESSING_MULTIPLE_LATENT_CELLS } from '../companion-server/engine/geometry';
import type { ContextOption } from '../companion-server/engine/jobs';
import type { GenerationParams, MaskParams, ModelInfo } from '../companion-server/protocol';
import type { BrushJobInput } from './client';
import type { GenerationRecord } from './generation-record';
import { unionRects, type PixelRect } from './imaging/geometry';
import { placeGray, type RgbaImage } from './imaging/pixels';
import type { GlobalSettings, MaskEntry } from './panel-state';

/** SD 1.x/2.x's VAE factor, for a companion too old to report its model's own. */
const DEFAULT_VAE_SCALE_FACTOR = 8;
/** A preview every this many denoising steps. */
export const PREVIEW_EVERY = 2;

interface Canvas {
  width: number;
  height: number;
}

function vaeScaleFactor(model: ModelInfo): number {
  return model.vaeScaleFactor ?? DEFAULT_VAE_SCALE_FACTOR;
}

function contextOption(globals: GlobalSettings): ContextOption {
  return globals.context === 'padding' ? { kind: 'padding', pixels: globals.paddingPixels } : { kind: globals.context };
}

/**
 * The canvas rectangle to read. A layer we generated is read whole, at the size it was generated:
 * its trajectory covers exactly those pixels. The previous edit's crop on the same source is kept
 * while it still holds the masks, so the companion finds that crop's trajectory in its cache and
 * runs only the remaining steps.
 */
export function sourceCrop(
  canvas: Canvas,
  masks: readonly MaskEntry[],
  globals: GlobalSettings,
  model: ModelInfo,
  generated: GenerationRecord | null,
  previousCrop: PixelRect | null,
): PixelRect {
  const plan = planEdit({
    canvas,
    available: generated?.placement,
    selection: unionRects(masks.map((mask) => mask.bounds)),
    context: contextOption(globals),
    model: { nativeSize: model.nativeWidth, vaeScaleFactor: vaeScaleFactor(model) },
    fixedProcessingSize: generated ? { width: generated.generation.width, height: generated.generation.height } : undefined,
    previousContext: previousCrop ?? undefined,
  });
  return plan.context;
}

export function maskParams(masks: readonly MaskEntry[]): MaskParams[] {
  return masks.map((mask) => ({ step: mask.step, strength: mask.strength, seed: mask.seed, ...(mask.prompt.trim() ? { prompt: mask.prompt } : {}) }));
}

/** The brush request for a source crop read at `source.bounds`; every mask is laid on the crop's pixel grid. */
export function brushJobInput(
  canvas: Canvas,
  masks: readonly MaskEntry[],
  globals: GlobalSettings,
  source: { image: RgbaImage; bounds: PixelRect },
  generated: GenerationRecord | null,
): BrushJobInput {
  const params = maskParams(masks);
  return {
    settings: {
      prompt: globals.prompt,
      negativePrompt: globals.negativePrompt,
      steps: globals.steps,
      guidance: globals.guidance,
      scheduler: globals.scheduler,
      variations: globals.variations,
      // The crop already is the context the user's option asked for: the engine processes all of it.
      context: { kind: 'whole-image' },
      trajectory: generated ? { kind: 'generated', generation: generated.generation } : { kind: 'invert' },
      sourceOrigin: { left: source.bounds.left, top: source.bounds.top },
      canvasSize: { width: canvas.width, height: canvas.height },
      previewEvery: PREVIEW_EVERY,
    },
    source: source.image,
    masks: masks.map((mask, i) => ({ params: params[i], mask: placeGray(mask.mask, mask.bounds, source.bounds) })),
  };
}

/**
 * A new image of about the model's native area with the canvas's aspect ratio, in the sizes the
 * UNet accepts (multiples of 64 pixels), no larger than the canvas, centred on it.
 */
export function generationPlan(canvas: Canvas, globals: GlobalSettings, model: ModelInfo, seed: number): Pick<GenerationRecord, 'generation' | 'placement'> {
  const multiple = vaeScaleFactor(model) * PROCESSING_MULTIPLE_LATENT_CELLS;
  if (canvas.width < multiple || canvas.height < multiple) {
    throw new Error(`The document is smaller than ${multiple}x${multiple} pixels, the smallest image the model makes. Enlarge the canvas (Image > Canvas Size) to generate into it.`);
  }
  const ideal = processingSize(new Extent(canvas.width, canvas.height), model.nativeWidth, multiple);
  const fit = (side: number, limit: number) => Math.min(side, Math.floor(limit / multiple) * multiple);
  const width = fit(ideal.width, canvas.width);
  const height = fit(ideal.height, canvas.height);
  const generation: GenerationParams = {
    prompt: globals.prompt,
    negativePrompt: globals.negativePrompt,
    steps: globals.steps,
    guidance: globals.guidance,
    scheduler: globals.scheduler,
    seed,
    width,
    height,
  };
  return { generation, placement: { left: Math.floor((canvas.width - width) / 2), top: Math.floor((canvas.height - height) / 2), width, height } };
}
