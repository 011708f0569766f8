/**
 * The one place where wire messages and engine jobs meet: validated generate/brush messages plus
 * their uploaded frames become engine requests, and engine results and previews become messages
 * plus frames. The compiler checks that protocol and engine types agree here.
 */
import type { BrushRequest, GenerateRequest, GrayImage, ProgressEvent, RgbaImage, TrajectorySource } from '../engine/jobs';
import {
  encodeFrame,
  type BrushMessage,
  type GenerateMessage,
  type GenerationParams,
  type ImageFrame,
  type ImageInfo,
  type PixelFormat,
  type ProgressMessage,
  type ServerMessage,
  type TrajectorySourceParams,
} from '../protocol';
import type { EngineJobTypes, EngineRequest } from './engine-port';

/** A message plus the binary frames that follow it, in order. */
export interface Outgoing {
  message: ServerMessage;
  frames: Uint8Array[];
}

export class ImageMismatchError extends Error {
  readonly code = 'IMAGE_INVALID';
}

export function generateRequestFrom(message: GenerateMessage): EngineRequest {
  return { kind: 'generate', request: { ...generationFrom(message), previewEvery: message.previewEvery } };
}

/** The images a brush message names, in the order they are expected. */
export function brushImageIds(message: BrushMessage): number[] {
  return [message.source.imageId, ...message.masks.map((mask) => mask.mask.imageId)];
}

/** Builds the engine request once every image has arrived; throws ImageMismatchError naming the bad image. */
export function brushRequestFrom(message: BrushMessage, images: ReadonlyMap<number, ImageFrame>): EngineRequest {
  const source = imageFor(images, message.source.imageId, 'rgba8', 'source');
  const request: BrushRequest = {
    source: { width: source.width, height: source.height, data: source.data },
    sourceOrigin: message.sourceOrigin,
    canvasSize: message.canvasSize,
    masks: message.masks.map((mask, i) => {
      const pixels = imageFor(images, mask.mask.imageId, 'gray8', `masks.${i}`);
      if (pixels.width !== source.width || pixels.height !== source.height) {
        throw new ImageMismatchError(
          `Mask ${i} (image ${mask.mask.imageId}) is ${pixels.width}x${pixels.height} but the source is ${source.width}x${source.height}; send masks at the source's size.`,
        );
      }
      return { mask: pixels, step: mask.step, strength: mask.strength, seed: mask.seed, prompt: mask.prompt };
    }),
    prompt: message.prompt,
    negativePrompt: message.negativePrompt,
    steps: message.steps,
    guidance: message.guidance,
    scheduler: message.scheduler,
    smoothingSteps: message.smoothingSteps,
    noiseMode: message.noiseMode,
    trajectory: trajectoryFrom(message.trajectory),
    variations: message.variations,
    context: message.context,
    growPixels: message.growPixels,
    featherPixels: message.featherPixels,
    previewEvery: message.previewEvery,
  };
  return { kind: 'brush', request };
}

export function progressOutgoing(jobId: number, event: ProgressEvent, previewImageId: number): Outgoing {
  const message: ProgressMessage = { type: 'progress', replyTo: jobId, phase: event.phase, step: event.step, total: event.total };
  if (event.preview === undefined) return { message, frames: [] };
  const preview = imageOut(jobId, previewImageId, 'preview', 'rgba8', event.preview);
  return { message: { ...message, preview: preview.info }, frames: [preview.frame] };
}

export function generateResultOutgoing(jobId: number, request: GenerateRequest, result: EngineJobTypes['generate']['result']): Outgoing {
  const image = imageOut(jobId, 0, 'result', 'rgba8', result.image);
  return {
    message: {
      type: 'generate-result',
      replyTo: jobId,
      image: image.info,
      parameters: { ...generationFrom(request), previewEvery: request.previewEvery ?? 0 },
    },
    frames: [image.frame],
  };
}

export function brushResultOutgoing(jobId: number, result: EngineJobTypes['brush']['result']): Outgoing {
  const frames: Uint8Array[] = [];
  const variations = result.variations.map((variation, i) => {
    const image = imageOut(jobId, 2 * i, 'result', 'rgba8', variation.image);
    const layerMask = imageOut(jobId, 2 * i + 1, 'result', 'gray8', variation.layerMask);
    frames.push(image.frame, layerMask.frame);
    return { index: variation.index, image: image.info, placement: { ...variation.placement }, layerMask: layerMask.info };
  });
  const { parameters } = result;
  return {
    message: {
      type: 'brush-result',
      replyTo: jobId,
      variations,
      parameters: {
        ...parameters,
        trajectory: trajectoryFrom(parameters.trajectory),
        previewEvery: parameters.previewEvery ?? 0,
        masks: parameters.masks.map((mask) => ({ step: mask.step, strength: mask.strength, seed: mask.seed, prompt: mask.prompt })),
      },
    },
    frames,
  };
}

/** The generation parameters, without anything else the object carries (type, id, previewEvery). */
function generationFrom(params: GenerationParams | GenerateRequest): GenerationParams {
  const { prompt, negativePrompt, steps, guidance, scheduler, seed, width, height } = params;
  return { prompt, negativePrompt, steps, guidance, scheduler, seed, width, height };
}

/** Both directions: a generated trajectory carries only the generation fields, whatever else its object holds. */
function trajectoryFrom(trajectory: TrajectorySource | TrajectorySourceParams): TrajectorySourceParams {
  return trajectory.kind === 'generated' ? { kind: 'generated', generation: generationFrom(trajectory.generation) } : trajectory;
}

function imageFor(images: ReadonlyMap<number, ImageFrame>, imageId: number, format: PixelFormat, role: string): RgbaImage | GrayImage {
  const frame = images.get(imageId);
  if (frame === undefined) throw new ImageMismatchError(`The ${role} image ${imageId} never arrived; send one frame per image the request names.`);
  if (frame.format !== format) {
    throw new ImageMismatchError(`The ${role} image ${imageId} is ${frame.format} but must be ${format}.`);
  }
  // Own the pixels: the frame is a view into a network buffer the engine must not hold on to.
  return { width: frame.width, height: frame.height, data: frame.pixels.slice() };
}

function imageOut(
  jobId: number,
  imageId: number,
  kind: 'preview' | 'result',
  format: PixelFormat,
  image: RgbaImage | GrayImage,
): { info: ImageInfo; frame: Uint8Array } {
  const info: ImageInfo = { imageId, width: image.width, height: image.height, format };
  return { info, frame: encodeFrame({ kind, format, requestId: jobId, imageId, width: image.width, height: image.height }, image.data) };
}
