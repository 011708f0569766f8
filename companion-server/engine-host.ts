/**
 * The main thread's handle on the engine worker (worker.ts). It queues jobs and sends them one at a
 * time, forwards progress, cancels through a shared flag the running job polls between steps, and
 * turns a worker crash into rejected jobs instead of a dead process.
 *
 * Starting TypeScript in a worker: Node 20 does not apply `--import tsx` hooks inside worker
 * threads, so when this module runs as .ts (under `tsx` or jest) the worker is a two-line script that
 * registers tsx's CommonJS hook in the thread and then requires worker.ts. Compiled to .js, the
 * worker runs worker.js directly.
 */
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EngineError } from './engine/engine-error';
import type { EngineSettings, JobKind, JobParams, JobResult } from './engine/job-handlers';
import { JobCancelledError, type ProgressEvent } from './engine/jobs';
import type { LoadModelOptions } from './engine/model/load-model';
import type { ModelInfo } from './engine/model/model-info';
import { deserializeError, type HostMessage, type WorkerMessage, type WorkerStartData } from './engine/worker-protocol';

export interface EngineHostOptions extends LoadModelOptions, EngineSettings {
  modelDir: string;
  /** The worker entry (default: worker.ts/.js beside this module). Tests substitute one that misbehaves. */
  workerEntry?: string;
}

export interface RunOptions {
  onProgress?: (event: ProgressEvent) => void;
  /** Aborting cancels the job: a queued job is dropped, a running one stops at its next step. */
  signal?: AbortSignal;
}

/** How long close() waits for the worker to release its sessions before terminating it. */
const CLOSE_TIMEOUT_MS = 10_000;

interface PendingJob {
  id: number;
  kind: string;
  params: unknown;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
  onProgress?: (event: ProgressEvent) => void;
  detach: () => void;
}

function workerScript(entry: string | undefined): { script: string; eval: boolean } {
  const extension = extname(__filename);
  const worker = entry ?? join(__dirname, `worker${extension}`);
  if (extname(worker) !== '.ts') return { script: worker, eval: false };
  const tsx = require.resolve('tsx/cjs/api');
  return { script: `require(${JSON.stringify(tsx)}).register();\nrequire(${JSON.stringify(worker)});`, eval: true };
}

export class EngineHost {
  private readonly queue: PendingJob[] = [];
  private running: PendingJob | undefined;
  private nextJobId = 1;
  /** Set once the worker is gone (crashed or closed); every later run() rejects with it. */
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly cancelFlag: Int32Array,
    /** The loaded model, as the worker described it. */
    readonly info: ModelInfo,
  ) {
    worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    worker.on('error', (error) => this.fail(new EngineError('WORKER_CRASHED', `The engine worker crashed: ${error.message}. Jobs in progress were lost; start the engine again.`)));
    worker.on('exit', (code) => this.fail(new EngineError(this.closing ? 'ENGINE_CLOSED' : 'WORKER_CRASHED', `The engine worker exited (code ${code}); start the engine again.`)));
  }

  /** Starts a worker and loads the model in it; rejects with the loader's error (code MODEL_INVALID, ...). */
  static start(options: EngineHostOptions): Promise<EngineHost> {
    const { modelDir, workerEntry, memoryBudgetBytes, ...load } = options;
    const cancelFlag = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    const { script, eval: isEval } = workerScript(workerEntry);
    const workerData: WorkerStartData = { modelDir, load, settings: { memoryBudgetBytes }, cancelFlag };
    const worker = new Worker(script, { eval: isEval, workerData });
    return new Promise((resolve, reject) => {
      const onMessage = (message: WorkerMessage) => {
        if (message.type === 'ready') {
          cleanup();
          resolve(new EngineHost(worker, new Int32Array(cancelFlag), message.info));
        } else if (message.type === 'load-failed') {
          cleanup();
          reject(deserializeError(message.error));
        }
      };
      const onError = (error: Error) => {
        cleanup();
        reject(new EngineError('WORKER_CRASHED', `The engine worker failed while loading ${modelDir}: ${error.message}`));
      };
      const onExit = (code: number) => {
        cleanup();
        reject(new EngineError('WORKER_CRASHED', `The engine worker exited (code ${code}) while loading ${modelDir}.`));
      };
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
    });
  }

  /** Queues a job; resolves with its result, rejects with JobCancelledError or an EngineError. */
  run<K extends JobKind>(kind: K, params: JobParams<K>, options: RunOptions = {}): Promise<JobResult<K>> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      const { signal, onProgress } = options;
      if (signal?.aborted) return reject(new JobCancelledError());
      const onAbort = () => this.cancel(job);
      const job: PendingJob = {
        id: this.nextJobId++,
        kind,
        params,
        resolve: resolve as (result: unknown) => void,
        reject,
        onProgress,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  /** Cancels what is running, drops what is queued, releases the sessions and ends the worker. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const job of this.queue.splice(0)) this.settle(job, new EngineError('ENGINE_CLOSED', 'The engine was closed before this job started.'));
      if (this.running) Atomics.store(this.cancelFlag, 0, this.running.id);
      const timer = setTimeout(() => void this.worker.terminate(), CLOSE_TIMEOUT_MS);
      this.worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      if (this.failure) return void this.worker.terminate();
      this.worker.postMessage({ type: 'close' } satisfies HostMessage);
    });
    return this.closing;
  }

  private cancel(job: PendingJob): void {
    if (this.running === job) {
      Atomics.store(this.cancelFlag, 0, job.id);
      return;
    }
    const index = this.queue.indexOf(job);
    if (index >= 0) {
      this.queue.splice(index, 1);
      this.settle(job, new JobCancelledError());
    }
  }

  private pump(): void {
    if (this.running || this.failure || this.closing) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = job;
    this.worker.postMessage({ type: 'run', jobId: job.id, kind: job.kind, params: job.params } satisfies HostMessage);
  }

  private onMessage(message: WorkerMessage): void {
    const job = this.running;
    if (!job || !('jobId' in message) || message.jobId !== job.id) return;
    if (message.type === 'progress') {
      job.onProgress?.(message.event);
      return;
    }
    this.running = undefined;
    if (message.type === 'result') this.settle(job, undefined, message.result);
    else if (message.type === 'failed') this.settle(job, deserializeError(message.error));
    this.pump();
  }

  private settle(job: PendingJob, error: Error | undefined, result?: unknown): void {
    job.detach();
    if (error) job.reject(error);
    else job.resolve(result);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const lost = [...(this.running ? [this.running] : []), ...this.queue.splice(0)];
    this.running = undefined;
    for (const job of lost) this.settle(job, this.failure);
  }
}
