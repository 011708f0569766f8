/**
 * The jobs the engine runs, as the worker thread receives them. The pipeline and the brush implement
 * them; the engine host (main thread) and the companion server submit them. Everything here crosses a
 * worker boundary, so it is plain data: numbers, strings and typed arrays.
 */
import type { Tensor } from './tensor';
import type { SchedulerKind } from './schedulers/scheduler';

/** 8-bit RGBA pixels, row-major, 4 bytes a pixel. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export interface GenerateRequest {
  prompt: string;
  negativePrompt: string;
  steps: number;
  guidance: number;
  scheduler: SchedulerKind;
  seed: number;
  /** Multiples of the VAE factor (8). */
  width: number;
  height: number;
  /** Stream a cheap preview every this many steps (0: none). */
  previewEvery?: number;
}

export interface GenerateResult {
  image: RgbaImage;
  /** Z_0 .. Z_N: the initial noise and the latent after every step (scaled latent space). */
  trajectory: Tensor[];
}

export type JobPhase = 'encode' | 'invert' | 'denoise' | 'decode';

export interface ProgressEvent {
  phase: JobPhase;
  /** Steps done in this phase, and how many it has. */
  step: number;
  total: number;
  preview?: RgbaImage;
}

/** What a running job may do besides computing: report progress and notice cancellation. */
export interface JobContext {
  progress(event: ProgressEvent): void;
  /** Throws JobCancelledError once the job has been cancelled; called at least once per denoising step. */
  throwIfCancelled(): void;
}

export class JobCancelledError extends Error {
  constructor() {
    super('The job was cancelled.');
    this.name = 'JobCancelledError';
  }
}
