/**
 * A job request whose images are still arriving: the JSON message names the images, one binary
 * frame per image follows. The request becomes an engine job once every named image is here.
 */
import type { ErrorCode, ImageFrame, JobMessage } from '../protocol';
import { brushImageIds } from './job-mapping';

export type UploadOutcome =
  | { status: 'incomplete' }
  | { status: 'complete'; images: ReadonlyMap<number, ImageFrame> }
  | { status: 'refused'; code: Extract<ErrorCode, 'FRAME_UNEXPECTED'>; detail: string };

export class PendingUpload {
  private readonly images = new Map<number, ImageFrame>();
  private readonly expected: ReadonlySet<number>;
  private bytes = 0;

  constructor(readonly message: JobMessage) {
    this.expected = new Set(message.type === 'brush' ? brushImageIds(message) : []);
  }

  get isComplete(): boolean {
    return this.images.size === this.expected.size;
  }

  /** Bytes of pixels received so far. */
  get byteLength(): number {
    return this.bytes;
  }

  accept(frame: ImageFrame): UploadOutcome {
    if (!this.expected.has(frame.imageId)) {
      return {
        status: 'refused',
        code: 'FRAME_UNEXPECTED',
        detail: `Request ${this.message.id} names no image ${frame.imageId}; it expects images ${[...this.expected].join(', ')}.`,
      };
    }
    if (this.images.has(frame.imageId)) {
      return { status: 'refused', code: 'FRAME_UNEXPECTED', detail: `Image ${frame.imageId} of request ${this.message.id} arrived twice; send each image once.` };
    }
    this.images.set(frame.imageId, frame);
    this.bytes += frame.pixels.byteLength;
    return this.isComplete ? { status: 'complete', images: this.images } : { status: 'incomplete' };
  }
}
