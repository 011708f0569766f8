/**
 * Errors the engine raises on purpose carry a stable code, so they keep their meaning across the
 * worker boundary and up to the panel. The message names the problem and the fix.
 */
export type EngineErrorCode =
  /** The model folder is incomplete or its files do not look like Stable Diffusion (details in the message). */
  | 'MODEL_INVALID'
  /** No execution provider in the list could create a session. */
  | 'NO_EXECUTION_PROVIDER'
  /** A tensor given to a session cannot be cast or reshaped to what the session declares. */
  | 'MODEL_INPUT_MISMATCH'
  /** onnxruntime failed while running a session. */
  | 'INFERENCE_FAILED'
  /** A job kind the worker has no handler for. */
  | 'UNKNOWN_JOB_KIND'
  /** A job's parameters are not what its handler accepts. */
  | 'INVALID_JOB_PARAMS'
  /** The engine's worker thread died; the jobs it held are lost. */
  | 'WORKER_CRASHED'
  /** The engine was closed before the job finished. */
  | 'ENGINE_CLOSED'
  /** Anything unexpected inside a job. */
  | 'JOB_FAILED';

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
