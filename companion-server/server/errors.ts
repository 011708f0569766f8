/** Error answers: the specific problem first, then the code's standing advice on what to do. */
import { EngineError } from '../engine/engine-error';
import { ERROR_CODES, type ErrorCode, type ServerMessage } from '../protocol';

export function errorMessage(replyTo: number | null, code: ErrorCode, detail?: string): ServerMessage {
  return { type: 'error', replyTo, code, message: detail === undefined ? ERROR_CODES[code] : `${detail} ${ERROR_CODES[code]}` };
}

/** The protocol code for an engine failure, keeping the engine's own sentence. */
export function engineFailure(error: unknown): { code: ErrorCode; detail: string } {
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof EngineError) {
    switch (error.code) {
      case 'INVALID_JOB_PARAMS':
        return { code: 'JOB_INVALID', detail };
      case 'UNKNOWN_JOB_KIND':
        return { code: 'JOB_KIND_UNAVAILABLE', detail };
      default:
        return { code: 'JOB_FAILED', detail: `${error.code}: ${detail}` };
    }
  }
  return { code: 'JOB_FAILED', detail };
}
