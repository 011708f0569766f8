/**
 * Field schemas shared by client and server messages: ids, prompts, generation and brush parameters.
 * The brush fields mirror the engine's BrushRequest (engine/jobs.ts) with pixels replaced by image
 * references; server/job-mapping.ts turns one into the other and the compiler checks they agree.
 */
import { z } from 'zod';
import { SCHEDULER_KINDS } from '../engine/schedulers/scheduler';
import { PIXEL_FORMATS } from './frames';
import {
  MAX_CANVAS_SIDE,
  MAX_GUIDANCE,
  MAX_ID,
  MAX_IMAGE_SIDE,
  MAX_MASKS,
  MAX_MASK_PIXELS,
  MAX_PROMPT_CHARS,
  MAX_STEPS,
  MAX_STRENGTH,
  MAX_VARIATIONS,
} from './limits';

/** Request ids, job ids and image ids: unsigned 32-bit integers (they travel in frame headers). */
export const idSchema = z.number().int().min(0).max(MAX_ID);
export const seedSchema = z.number().int().min(0).max(MAX_ID);
export const promptSchema = z.string().max(MAX_PROMPT_CHARS);
export const stepsSchema = z.number().int().min(1).max(MAX_STEPS);
export const guidanceSchema = z.number().min(0).max(MAX_GUIDANCE);
export const schedulerSchema = z.enum(SCHEDULER_KINDS);
/** Stream a preview every this many steps; 0 means no previews. */
export const previewEverySchema = z.number().int().min(0).max(MAX_STEPS).default(0);
const maskPixelsSchema = z.number().int().min(0).max(MAX_MASK_PIXELS);

/** A model-sized side: a multiple of the VAE factor 8. */
const generationSideSchema = z
  .number()
  .int()
  .min(8)
  .max(MAX_IMAGE_SIDE)
  .refine((side) => side % 8 === 0, { message: 'must be a multiple of 8' });

/** An image that travels in a binary frame right after the JSON message that names it. */
export const imageRefSchema = z.object({ imageId: idSchema });

/** What a binary frame that follows a server message holds. */
export const imageInfoSchema = z.object({
  imageId: idSchema,
  width: z.number().int().min(1).max(MAX_IMAGE_SIDE),
  height: z.number().int().min(1).max(MAX_IMAGE_SIDE),
  format: z.enum(PIXEL_FORMATS),
});

/** Everything that determines a generated image (and so its latent trajectory). */
export const generationParamsSchema = z.object({
  prompt: promptSchema,
  negativePrompt: promptSchema.default(''),
  steps: stepsSchema,
  guidance: guidanceSchema,
  scheduler: schedulerSchema,
  seed: seedSchema,
  width: generationSideSchema,
  height: generationSideSchema,
});

export const NOISE_MODES = ['additive', 'variance-preserving'] as const;

export const trajectorySourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('generated'), generation: generationParamsSchema }),
  z.object({ kind: z.literal('invert') }),
  z.object({ kind: z.literal('noise'), seed: seedSchema }),
]);

export const contextOptionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('auto') }),
  z.object({ kind: z.literal('whole-image') }),
  z.object({ kind: z.literal('bounding-box') }),
  z.object({ kind: z.literal('padding'), pixels: maskPixelsSchema }),
]);

/** One region's parameters, without its pixels. */
export const maskParamsSchema = z.object({
  /** Injection step n, counted from the noise end: 0 <= n < steps. */
  step: z.number().int().min(0).max(MAX_STEPS - 1),
  strength: z.number().min(0).max(MAX_STRENGTH),
  seed: seedSchema,
  prompt: promptSchema.optional(),
});

export const brushMaskSchema = maskParamsSchema.extend({ mask: imageRefSchema });

/** The brush request's fields that are not pixels (what a result reports as its parameters). */
export const brushSettingsSchema = z.object({
  sourceOrigin: z.object({ left: z.number().int().min(0).max(MAX_CANVAS_SIDE), top: z.number().int().min(0).max(MAX_CANVAS_SIDE) }).optional(),
  canvasSize: z.object({ width: z.number().int().min(1).max(MAX_CANVAS_SIDE), height: z.number().int().min(1).max(MAX_CANVAS_SIDE) }).optional(),
  prompt: promptSchema,
  negativePrompt: promptSchema.default(''),
  steps: stepsSchema,
  guidance: guidanceSchema,
  scheduler: schedulerSchema,
  /** r: full-latent steps after the merge; the paper's t = N - 2 means 2. */
  smoothingSteps: z.number().int().min(0).max(MAX_STEPS).default(2),
  /** The paper's formula ('additive') or our variance-preserving variant (algorithm.md). */
  noiseMode: z.enum(NOISE_MODES).default('additive'),
  trajectory: trajectorySourceSchema,
  /** K seeds: variation i uses every mask's seed + i. */
  variations: z.number().int().min(1).max(MAX_VARIATIONS).default(1),
  context: contextOptionSchema.default({ kind: 'auto' }),
  growPixels: maskPixelsSchema.optional(),
  featherPixels: maskPixelsSchema.optional(),
  previewEvery: previewEverySchema,
});

export const brushParametersSchema = brushSettingsSchema.extend({ masks: z.array(maskParamsSchema).min(1).max(MAX_MASKS) });

export const pixelRectSchema = z.object({
  left: z.number().int(),
  top: z.number().int(),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
});

export type ImageRef = z.infer<typeof imageRefSchema>;
export type ImageInfo = z.infer<typeof imageInfoSchema>;
export type GenerationParams = z.infer<typeof generationParamsSchema>;
export type TrajectorySourceParams = z.infer<typeof trajectorySourceSchema>;
export type ContextOptionParams = z.infer<typeof contextOptionSchema>;
export type MaskParams = z.infer<typeof maskParamsSchema>;
export type BrushParameters = z.infer<typeof brushParametersSchema>;
