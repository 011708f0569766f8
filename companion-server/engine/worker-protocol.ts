/**
 * The messages between EngineHost (main thread) and the engine worker, and how errors and typed
 * arrays cross between them. Plain data only: everything here goes through postMessage.
 */
import { EngineError, type EngineErrorCode } from './engine-error';
import { InvalidRequestError } from './errors';
import { JobCancelledError, type ProgressEvent } from './jobs';
import type { EngineSettings } from './job-handlers';
import type { LoadModelOptions } from './model/load-model';
import type { ModelInfo } from './model/model-info';

export interface WorkerStartData {
  modelDir: string;
  load: LoadModelOptions;
  settings: EngineSettings;
  /** Int32Array view: slot 0 holds the id of the job to cancel (ids start at 1, so 0 cancels nothing). */
  cancelFlag: SharedArrayBuffer;
}

export type HostMessage = { type: 'run'; jobId: number; kind: string; params: unknown } | { type: 'close' };

export type WorkerMessage =
  | { type: 'ready'; info: ModelInfo }
  | { type: 'load-failed'; error: SerializedError }
  | { type: 'progress'; jobId: number; event: ProgressEvent }
  | { type: 'result'; jobId: number; result: unknown }
  | { type: 'failed'; jobId: number; error: SerializedError };

export interface SerializedError {
  code: EngineErrorCode | 'JOB_CANCELLED';
  message: string;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof JobCancelledError) return { code: 'JOB_CANCELLED', message: error.message };
  if (error instanceof EngineError) return { code: error.code, message: error.message };
  // The validators' refusals name a parameter: the client can fix the request, unlike a failure.
  if (error instanceof InvalidRequestError) return { code: 'INVALID_JOB_PARAMS', message: error.message };
  return { code: 'JOB_FAILED', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}

export function deserializeError(error: SerializedError): Error {
  return error.code === 'JOB_CANCELLED' ? new JobCancelledError() : new EngineError(error.code, error.message);
}

/**
 * The ArrayBuffers behind the typed arrays in `value`, to move rather than copy them. Moving
 * detaches them in the sending thread: job handlers return arrays they do not keep.
 */
export function transferables(value: unknown, found = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) found.add(value.buffer);
  } else if (Array.isArray(value)) {
    for (const item of value) transferables(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) transferables(item, found);
  }
  return [...found];
}
