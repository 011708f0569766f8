/**
 * Messages the companion sends, as JSON text frames. `replyTo` is the id of the client request the
 * message answers (null for notices nobody asked for). Messages that announce images (progress with
 * a preview, results) are followed immediately by one binary frame per image, in the order listed.
 */
import { z } from 'zod';
import { ERROR_CODE_LIST, type ErrorCode } from './error-codes';
import {
  brushParametersSchema,
  generationParamsSchema,
  idSchema,
  imageInfoSchema,
  NOISE_MODES,
  pixelRectSchema,
  previewEverySchema,
  schedulerSchema,
} from './fields';
import { PROTOCOL_LIMITS } from './limits';

const replyToSchema = idSchema.nullable();

export const JOB_KINDS = ['generate', 'brush'] as const;
export const JOB_PHASES = ['encode', 'invert', 'regenerate', 'denoise', 'decode'] as const;
export const CANCEL_REASONS = ['client', 'shutdown'] as const;

export const welcomeMessageSchema = z.object({
  type: z.literal('welcome'),
  replyTo: idSchema,
  /** The version both sides now speak. */
  protocolVersion: z.number().int(),
  server: z.object({ name: z.string(), version: z.string() }),
});

export const pairedMessageSchema = z.object({
  type: z.literal('paired'),
  replyTo: idSchema,
  /** Keep it secret (UXP secure storage); send it in `auth` on every later connection. */
  token: z.string(),
  /** The id `tokens list` and `tokens revoke` show. */
  tokenId: z.string(),
});

export const authenticatedMessageSchema = z.object({
  type: z.literal('authenticated'),
  replyTo: idSchema,
  tokenId: z.string(),
});

export const pongMessageSchema = z.object({
  type: z.literal('pong'),
  replyTo: idSchema,
  /** Milliseconds since the epoch on the companion. */
  serverTime: z.number(),
});

export const modelInfoSchema = z.object({
  /** The model folder's name. */
  id: z.string(),
  /** The image size the model was trained at (SD1.5: 512). */
  nativeWidth: z.number().int(),
  nativeHeight: z.number().int(),
  /** Pixels per latent cell, from the model's VAE config (8 for SD 1.x/2.x); absent from older companions. */
  vaeScaleFactor: z.number().int().min(1).optional(),
  /** False when the model has no VAE encoder: only images it generated can be brushed (trajectory 'generated'). */
  canEncodeImages: z.boolean().optional(),
});

export const serverInfoMessageSchema = z.object({
  type: z.literal('server-info'),
  /** null when sent unasked, after another client switched the model. */
  replyTo: replyToSchema,
  protocolVersion: z.number().int(),
  model: modelInfoSchema,
  /** The ONNX execution provider in use (cpu, cuda, dml, coreml, webgpu). */
  provider: z.string(),
  capabilities: z.object({
    jobs: z.array(z.enum(JOB_KINDS)),
    schedulers: z.array(schedulerSchema),
    noiseModes: z.array(z.enum(NOISE_MODES)),
    previews: z.boolean(),
  }),
  limits: z.object(Object.fromEntries(Object.keys(PROTOCOL_LIMITS).map((key) => [key, z.number()])) as {
    [K in keyof typeof PROTOCOL_LIMITS]: z.ZodNumber;
  }),
});

export const modelsMessageSchema = z.object({
  type: z.literal('models'),
  replyTo: idSchema,
  models: z.array(z.object({ id: z.string(), active: z.boolean() })),
});

export const queuedMessageSchema = z.object({
  type: z.literal('queued'),
  replyTo: idSchema,
  /** Jobs that will start before this one (0: it is next). Sent again whenever it changes. */
  position: z.number().int().min(0),
});

export const startedMessageSchema = z.object({ type: z.literal('started'), replyTo: idSchema });

export const progressMessageSchema = z.object({
  type: z.literal('progress'),
  replyTo: idSchema,
  phase: z.enum(JOB_PHASES),
  /** Steps done in this phase, and how many it has. */
  step: z.number().int().min(0),
  total: z.number().int().min(0),
  /** A small RGB(A) preview of the final image, in the preview frame that follows. */
  preview: imageInfoSchema.optional(),
});

export const generateResultMessageSchema = z.object({
  type: z.literal('generate-result'),
  replyTo: idSchema,
  image: imageInfoSchema,
  /** Send these back as a brush's `trajectory: {kind: 'generated', generation}` to regenerate its trajectory exactly. */
  parameters: generationParamsSchema.extend({ previewEvery: previewEverySchema }),
});

export const brushResultMessageSchema = z.object({
  type: z.literal('brush-result'),
  replyTo: idSchema,
  /** In seed order; each variation's image frame comes before its layer mask frame. */
  variations: z.array(
    z.object({
      /** Seed offset i: every mask's seed + i. */
      index: z.number().int().min(0),
      /** The edited context crop (rgba8). */
      image: imageInfoSchema,
      /** Where `image` goes in the canvas. */
      placement: pixelRectSchema,
      /** The layer mask for `image` (gray8, same size). */
      layerMask: imageInfoSchema,
    }),
  ),
  parameters: brushParametersSchema,
});

export const cancelledMessageSchema = z.object({
  type: z.literal('cancelled'),
  replyTo: idSchema,
  reason: z.enum(CANCEL_REASONS),
});

export const errorMessageSchema = z.object({
  type: z.literal('error'),
  /** The request this error answers; null when the message it answers had no readable id. */
  replyTo: replyToSchema,
  code: z.enum(ERROR_CODE_LIST as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
});

export const shutdownMessageSchema = z.object({
  type: z.literal('shutdown'),
  message: z.string(),
});

export const serverMessageSchema = z.discriminatedUnion('type', [
  welcomeMessageSchema,
  pairedMessageSchema,
  authenticatedMessageSchema,
  pongMessageSchema,
  serverInfoMessageSchema,
  modelsMessageSchema,
  queuedMessageSchema,
  startedMessageSchema,
  progressMessageSchema,
  generateResultMessageSchema,
  brushResultMessageSchema,
  cancelledMessageSchema,
  errorMessageSchema,
  shutdownMessageSchema,
]);

export type ServerMessage = z.infer<typeof serverMessageSchema>;
export type ServerMessageType = ServerMessage['type'];
export type JobKind = (typeof JOB_KINDS)[number];
export type JobPhaseName = (typeof JOB_PHASES)[number];
export type CancelReason = (typeof CANCEL_REASONS)[number];
export type ModelInfo = z.infer<typeof modelInfoSchema>;
export type ServerInfoMessage = z.infer<typeof serverInfoMessageSchema>;
export type ProgressMessage = z.infer<typeof progressMessageSchema>;
export type GenerateResultMessage = z.infer<typeof generateResultMessageSchema>;
export type BrushResultMessage = z.infer<typeof brushResultMessageSchema>;
export type ErrorMessage = z.infer<typeof errorMessageSchema>;
