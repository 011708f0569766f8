/**
 * The engine's worker thread: it owns the ONNX sessions, because session.run blocks the thread it
 * runs on for the whole call. It loads one model, then runs jobs one at a time, dispatching by kind
 * to engine/job-handlers.ts. EngineHost (engine-host.ts) is its only client; engine/worker-protocol.ts
 * is their whole contract.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EngineError } from './engine/engine-error';
import { configureJobHandlers, isJobKind, jobHandlers, type JobHandler } from './engine/job-handlers';
import { JobCancelledError, type JobContext } from './engine/jobs';
import type { StableDiffusionModel } from './engine/model/components';
import { loadModel } from './engine/model/load-model';
import { describeModel } from './engine/model/model-info';
import { serializeError, transferables, type HostMessage, type WorkerMessage, type WorkerStartData } from './engine/worker-protocol';

function serve(port: NonNullable<typeof parentPort>, start: WorkerStartData): void {
  const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  const cancelFlag = new Int32Array(start.cancelFlag);
  configureJobHandlers(start.settings);
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
