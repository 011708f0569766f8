/**
 * The engine's worker thread: it owns the ONNX sessions, because session.run blocks the thread it
 * runs on for the whole call. It loads one model, then runs jobs one at a time, dispatching by kind
 * to engine/job-handlers.ts. EngineHost (engine-host.ts) is its only client; the messages below are
 * their whole contract.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EngineError, type EngineErrorCode } from './engine/engine-error';
import { isJobKind, jobHandlers, type JobHandler } from './engine/job-handlers';
import { JobCancelledError, type JobContext, type ProgressEvent } from './engine/jobs';
import type { StableDiffusionModel } from './engine/model/components';
import { loadModel, type LoadModelOptions } from './engine/model/load-model';
import { describeModel, type ModelInfo } from './engine/model/model-info';

export interface WorkerStartData {
  modelDir: string;
  load: LoadModelOptions;
  /** Int32Array view: slot 0 holds the id of the job to cancel (ids start at 1, so 0 cancels nothing). */
  cancelFlag: SharedArrayBuffer;
}

export type HostMessage = { type: 'run'; jobId: number; kind: string; params: unknown } | { type: 'close' };

export interface SerializedError {
  code: EngineErrorCode | 'JOB_CANCELLED';
  message: string;
}

export type WorkerMessage =
  | { type: 'ready'; info: ModelInfo }
  | { type: 'load-failed'; error: SerializedError }
  | { type: 'progress'; jobId: number; event: ProgressEvent }
  | { type: 'result'; jobId: number; result: unknown }
  | { type: 'failed'; jobId: number; error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof JobCancelledError) return { code: 'JOB_CANCELLED', message: error.message };
  if (error instanceof EngineError) return { code: error.code, message: error.message };
  return { code: 'JOB_FAILED', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}

/**
 * The ArrayBuffers behind the typed arrays in `value`, to move rather than copy them. Moving
 * detaches them in this thread: handlers return arrays they do not keep.
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

function serve(port: NonNullable<typeof parentPort>, start: WorkerStartData): void {
  const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  const cancelFlag = new Int32Array(start.cancelFlag);
  const loading = loadModel(start.modelDir, start.load);
  // Jobs run strictly one after another, whatever the host sends.
  let queue: Promise<unknown> = loading.then(
    (model) => post({ type: 'ready', info: describeModel(model) }),
    (error: unknown) => {
      post({ type: 'load-failed', error: serializeError(error) });
      port.close();
    },
  );

  const runJob = async (model: StableDiffusionModel, jobId: number, kind: string, params: unknown) => {
    const ctx: JobContext = {
      progress: (event) => post({ type: 'progress', jobId, event }, transferables(event)),
      throwIfCancelled: () => {
        if (Atomics.load(cancelFlag, 0) === jobId) throw new JobCancelledError();
      },
    };
    try {
      if (!isJobKind(kind)) {
        throw new EngineError('UNKNOWN_JOB_KIND', `No job kind '${kind}'. Known kinds: ${Object.keys(jobHandlers).join(', ')}.`);
      }
      ctx.throwIfCancelled();
      const handler = jobHandlers[kind] as JobHandler<unknown, unknown>;
      const result = await handler(model, params, ctx);
      post({ type: 'result', jobId, result }, transferables(result));
    } catch (error) {
      post({ type: 'failed', jobId, error: serializeError(error) });
    }
  };

  port.on('message', (message: HostMessage) => {
    if (message.type === 'run') {
      queue = queue.then(async () => runJob(await loading, message.jobId, message.kind, message.params));
    } else {
      queue = queue.then(async () => {
        await (await loading).release();
        port.close();
      });
    }
  });
}

if (parentPort) serve(parentPort, workerData as WorkerStartData);
