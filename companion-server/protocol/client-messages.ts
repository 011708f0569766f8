/**
 * Messages a client sends, as JSON text frames. Every request carries an `id` chosen by the client;
 * every answer carries it back as `replyTo`. A job's id (generate, brush) also names the job in
 * progress messages, in the header of its binary frames and in `cancel`.
 */
import { z } from 'zod';
import {
  brushMaskSchema,
  brushSettingsSchema,
  generationParamsSchema,
  idSchema,
  imageRefSchema,
  previewEverySchema,
} from './fields';
import { MAX_ID, MAX_MASKS } from './limits';

/** Names are logged and listed: control characters (a newline forging a log line) are refused. */
const nameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^\P{Cc}*$/u, 'must not contain control characters such as line breaks');

export const helloMessageSchema = z.object({
  type: z.literal('hello'),
  id: idSchema,
  /** The range of protocol versions the client speaks. */
  protocol: z.object({ min: z.number().int().min(1).max(MAX_ID), max: z.number().int().min(1).max(MAX_ID) }),
  client: z.object({ name: nameSchema, version: z.string().max(100).optional() }),
});

export const pairMessageSchema = z.object({
  type: z.literal('pair'),
  id: idSchema,
  /** The code the companion prints. */
  code: z.string().max(32),
  /** Shown in `tokens list`, so the user can tell tokens apart. */
  clientName: nameSchema,
});

export const authMessageSchema = z.object({
  type: z.literal('auth'),
  id: idSchema,
  token: z.string().max(200),
});

export const pingMessageSchema = z.object({ type: z.literal('ping'), id: idSchema });
export const getInfoMessageSchema = z.object({ type: z.literal('get-info'), id: idSchema });
export const listModelsMessageSchema = z.object({ type: z.literal('list-models'), id: idSchema });
export const switchModelMessageSchema = z.object({
  type: z.literal('switch-model'),
  id: idSchema,
  modelId: z.string().min(1).max(200),
});

export const generateMessageSchema = generationParamsSchema.extend({
  type: z.literal('generate'),
  id: idSchema,
  previewEvery: previewEverySchema,
});

export const brushMessageSchema = brushSettingsSchema
  .extend({
    type: z.literal('brush'),
    id: idSchema,
    /** RGBA pixels: the whole image, or a crop of a larger canvas (see sourceOrigin, canvasSize). */
    source: imageRefSchema,
    /** Gray soft masks of the source's size; later masks win where they overlap. */
    masks: z.array(brushMaskSchema).min(1).max(MAX_MASKS),
  })
  .superRefine((brush, ctx) => {
    brush.masks.forEach((mask, i) => {
      if (mask.step >= brush.steps) {
        ctx.addIssue({ code: 'custom', path: ['masks', i, 'step'], message: `must be below steps (${brush.steps})` });
      }
    });
    const imageIds = [brush.source.imageId, ...brush.masks.map((mask) => mask.mask.imageId)];
    if (new Set(imageIds).size !== imageIds.length) {
      ctx.addIssue({ code: 'custom', path: ['masks'], message: 'every image (source and masks) needs its own imageId' });
    }
  });

export const cancelMessageSchema = z.object({
  type: z.literal('cancel'),
  id: idSchema,
  /** The id of the generate or brush request to cancel. */
  jobId: idSchema,
});

export const clientMessageSchema = z.discriminatedUnion('type', [
  helloMessageSchema,
  pairMessageSchema,
  authMessageSchema,
  pingMessageSchema,
  getInfoMessageSchema,
  listModelsMessageSchema,
  switchModelMessageSchema,
  generateMessageSchema,
  brushMessageSchema,
  cancelMessageSchema,
]);

/** A validated client message, defaults filled in (what the server works with). */
export type ClientMessage = z.infer<typeof clientMessageSchema>;
/** A client message as a client may write it (fields with defaults may be left out). */
export type ClientMessageInput = z.input<typeof clientMessageSchema>;
export type ClientMessageType = ClientMessage['type'];
export type HelloMessage = z.infer<typeof helloMessageSchema>;
export type PairMessage = z.infer<typeof pairMessageSchema>;
export type AuthMessage = z.infer<typeof authMessageSchema>;
export type GenerateMessage = z.infer<typeof generateMessageSchema>;
export type BrushMessage = z.infer<typeof brushMessageSchema>;
export type CancelMessage = z.infer<typeof cancelMessageSchema>;
/** The requests that become queued jobs. */
export type JobMessage = GenerateMessage | BrushMessage;
