/** A job as the server tracks it: whose it is, what the engine will run, and how to reach its client. */
import type { CancelReason, ServerMessage } from '../protocol';
import type { EngineRequest } from './engine-port';
import type { QueueEntry } from './job-queue';

/** Where a connection's messages and frames go. Sending on a closed connection does nothing. */
export interface ClientOutput {
  send(message: ServerMessage): void;
  sendFrame(frame: Uint8Array): void;
  /** Whether the client is behind on reading: optional data (previews) should wait for the next chance. */
  isCongested(): boolean;
}

export interface JobOwner {
  readonly clientId: number;
  readonly output: ClientOutput;
}

export interface ServerJob extends QueueEntry {
  readonly id: number;
  readonly owner: JobOwner;
  readonly engineRequest: EngineRequest;
  /** Pixels held for the job until it starts (counted against the client's upload limit). */
  readonly uploadBytes: number;
  /** Why the job is being cancelled, once it is. */
  cancelReason: CancelReason | null;
}
