/**
 * What the server needs from an engine: run a job with progress and cancellation, describe the
 * model, close. The real EngineHost (engine-host.ts) is adapted to it in engine-host-adapter.ts;
 * tests may pass doubles for queue-ordering checks.
 */
import type { BrushRequest, BrushResult, GenerateRequest, GenerateResult, ProgressEvent } from '../engine/jobs';
import type { JobKind, ModelInfo } from '../protocol';

export interface EngineJobTypes {
  generate: { request: GenerateRequest; result: GenerateResult };
  brush: { request: BrushRequest; result: BrushResult };
}

export type EngineRequest = { [K in JobKind]: { kind: K; request: EngineJobTypes[K]['request'] } }[JobKind];

export interface RunOptions {
  onProgress?: (event: ProgressEvent) => void;
  /** Aborting rejects the run with JobCancelledError within one denoising step. */
  signal?: AbortSignal;
}

export interface JobEngine {
  readonly model: ModelInfo;
  /** The execution provider in use. */
  readonly provider: string;
  /** The job kinds this engine can run. */
  readonly jobs: readonly JobKind[];
  run<K extends JobKind>(kind: K, request: EngineJobTypes[K]['request'], options: RunOptions): Promise<EngineJobTypes[K]['result']>;
  close(): Promise<void>;
}

/** Loads the model folder and starts an engine for it. */
export type OpenEngine = (modelDir: string) => Promise<JobEngine>;
