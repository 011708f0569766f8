/**
 * The companion's answers to the panel's jobs, routed to the job that asked: queue position,
 * progress, previews, the result, or the error or cancellation that ends it. A message that
 * announces images (a preview, a result) completes once its binary frames, which follow it
 * directly, have all arrived.
 */
import type { ErrorCode, ImageFrame, ImageInfo, ProgressMessage, ServerMessage } from '../companion-server/protocol';
import type { GrayImage, RgbaImage } from './imaging/pixels';

/** Why a request failed: a protocol error code, or what happened to the connection or the job. */
export type CompanionErrorCode = ErrorCode | 'CONNECTION_LOST' | 'CANCELLED' | 'NOT_CONNECTED';

export class CompanionError extends Error {
  constructor(readonly code: CompanionErrorCode, message: string) {
    super(message);
    this.name = 'CompanionError';
  }
}

export interface JobProgress {
  phase: ProgressMessage['phase'];
  step: number;
  total: number;
}

export interface JobEvents {
  onQueued?(position: number): void;
  onStarted?(): void;
  onProgress?(progress: JobProgress, preview: RgbaImage | null): void;
}

/** Reads a job's result from the answer that ends it (null: not this job's result message). */
export type ResultReader<T> = (answer: ServerMessage, images: Map<number, ImageFrame>) => T | null;

/** A job waiting for answers, and the images announced by a JSON message that have not all arrived. */
interface PendingJob {
  events: JobEvents;
  settle(message: ServerMessage, images: Map<number, ImageFrame>): void;
  fail(error: CompanionError): void;
  awaiting: { message: ServerMessage; wanted: Set<number>; images: Map<number, ImageFrame> } | null;
}

export class JobRouter {
  private readonly jobs = new Map<number, PendingJob>();

  /** Registers a job; the promise settles with its result, or rejects with the error or cancellation that ends it. */
  add<T>(jobId: number, events: JobEvents, readResult: ResultReader<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const finish = () => this.jobs.delete(jobId);
      this.jobs.set(jobId, {
        events,
        awaiting: null,
        settle: (answer, images) => {
          let outcome: T | null;
          try {
            outcome = readResult(answer, images);
          } catch (error) {
            finish();
            return reject(error);
          }
          if (outcome === null) return;
          finish();
          resolve(outcome);
        },
        fail: (error) => {
          finish();
          reject(error);
        },
      });
    });
  }

  has(jobId: number): boolean {
    return this.jobs.has(jobId);
  }

  route(jobId: number, message: ServerMessage): void {
    const job = this.jobs.get(jobId);
    if (job) routeToJob(job, message);
  }

  receiveFrame(frame: ImageFrame): void {
    const job = this.jobs.get(frame.requestId);
    const awaiting = job?.awaiting;
    if (!job || !awaiting || !awaiting.wanted.has(frame.imageId)) return;
    // Copy out of the socket's buffer, which is reused or freed once this handler returns.
    awaiting.images.set(frame.imageId, { ...frame, pixels: frame.pixels.slice() });
    if (awaiting.images.size < awaiting.wanted.size) return;
    job.awaiting = null;
    const { message, images } = awaiting;
    if (message.type === 'progress' && message.preview) {
      job.events.onProgress?.(progressOf(message), rgbaOf(images, message.preview));
    } else {
      job.settle(message, images);
    }
  }

  failAll(error: CompanionError): void {
    for (const job of [...this.jobs.values()]) job.fail(error);
  }
}

function routeToJob(job: PendingJob, message: ServerMessage): void {
  switch (message.type) {
    case 'queued':
      return job.events.onQueued?.(message.position);
    case 'started':
      return job.events.onStarted?.();
    case 'cancelled':
      return job.fail(new CompanionError('CANCELLED', 'Cancelled: nothing was written to the document.'));
    case 'error':
      return job.fail(new CompanionError(message.code, message.message));
    case 'progress':
      if (!message.preview) return job.events.onProgress?.(progressOf(message), null);
      return awaitImages(job, message, [message.preview]);
    case 'brush-result':
      return awaitImages(job, message, message.variations.flatMap((variation) => [variation.image, variation.layerMask]));
    case 'generate-result':
      return awaitImages(job, message, [message.image]);
    default:
      return console.warn(`Diffusion Brush: ignored an unexpected "${message.type}" for a job.`);
  }
}

/** The binary frames a message announces follow it immediately, in the order listed. */
function awaitImages(job: PendingJob, message: ServerMessage, images: ImageInfo[]): void {
  job.awaiting = { message, wanted: new Set(images.map((image) => image.imageId)), images: new Map() };
}

function progressOf(message: ProgressMessage): JobProgress {
  return { phase: message.phase, step: message.step, total: message.total };
}

export function rgbaOf(images: Map<number, ImageFrame>, info: ImageInfo): RgbaImage {
  const frame = images.get(info.imageId);
  if (!frame || frame.format !== 'rgba8') throw new CompanionError('FRAME_INVALID', `Image ${info.imageId} did not arrive as rgba8; update the companion.`);
  return { width: frame.width, height: frame.height, data: frame.pixels };
}

export function grayOf(images: Map<number, ImageFrame>, info: ImageInfo): GrayImage {
  const frame = images.get(info.imageId);
  if (!frame || frame.format !== 'gray8') throw new CompanionError('FRAME_INVALID', `Mask ${info.imageId} did not arrive as gray8; update the companion.`);
  return { width: frame.width, height: frame.height, data: frame.pixels };
}
