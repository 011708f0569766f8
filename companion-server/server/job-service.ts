/**
 * Jobs across all connections: admission (ids, queue and upload limits), collecting uploaded images,
 * the fair queue, cancellation (by the client, on disconnect, on shutdown).
 */
import type { Logger } from '../config/logger';
import {
  MAX_QUEUED_JOBS_PER_CLIENT,
  MAX_QUEUED_JOBS_TOTAL,
  MAX_UPLOAD_BYTES_PER_CLIENT,
  type CancelMessage,
  type CancelReason,
  type ImageFrame,
  type JobMessage,
} from '../protocol';
import type { EngineSlot } from './engine-slot';
import { assertNever } from './assert-never';
import { errorMessage } from './errors';
import { brushRequestFrom, generateRequestFrom, ImageMismatchError } from './job-mapping';
import { FairJobQueue } from './job-queue';
import { runJob, sendCancelled } from './job-runner';
import type { JobOwner, ServerJob } from './server-job';
import { PendingUpload } from './uploads';

type TrackedJob = { state: 'uploading'; upload: PendingUpload; owner: JobOwner } | { state: 'queued'; job: ServerJob };

export class JobService {
  /** Each client's unfinished jobs by id. */
  private readonly byClient = new Map<number, Map<number, TrackedJob>>();
  private readonly queue: FairJobQueue<ServerJob>;

  constructor(
    private readonly engines: EngineSlot,
    private readonly logger: Logger,
  ) {
    this.queue = new FairJobQueue<ServerJob>({
      run: async (job, signal) => {
        const started = Date.now();
        this.logger.debug(`job ${job.owner.clientId}/${job.id} (${job.engineRequest.kind}) started`);
        try {
          await runJob(await this.engines.ready(), job, signal);
        } finally {
          this.forget(job.owner.clientId, job.id);
          this.logger.debug(`job ${job.owner.clientId}/${job.id} ended after ${Date.now() - started} ms`);
        }
      },
      positionChanged: (job, position) => job.owner.output.send({ type: 'queued', replyTo: job.id, position }),
    });
  }

  /** Jobs uploading, queued or running, over all clients. */
  get activeCount(): number {
    let count = 0;
    for (const jobs of this.byClient.values()) count += jobs.size;
    return count;
  }

  /** Whether the engine has queued or running work (a model switch must wait). */
  get engineBusy(): boolean {
    return this.queue.size > 0;
  }

  submit(owner: JobOwner, message: JobMessage): void {
    const { output } = owner;
    const jobs = this.jobsIn(owner.clientId);
    if (jobs.has(message.id)) return output.send(errorMessage(message.id, 'REQUEST_ID_IN_USE', `Job ${message.id} is still in progress.`));
    if (jobs.size >= MAX_QUEUED_JOBS_PER_CLIENT) {
      return output.send(errorMessage(message.id, 'QUEUE_FULL', `This connection already has ${jobs.size} jobs (limit ${MAX_QUEUED_JOBS_PER_CLIENT}).`));
    }
    if (this.activeCount >= MAX_QUEUED_JOBS_TOTAL) {
      return output.send(errorMessage(message.id, 'SERVER_BUSY', `The companion has ${this.activeCount} jobs (limit ${MAX_QUEUED_JOBS_TOTAL}).`));
    }
    const engine = this.engines.current;
    if (!engine.jobs.includes(message.type)) {
      return output.send(errorMessage(message.id, 'JOB_KIND_UNAVAILABLE', `The engine for ${engine.model.id} runs ${engine.jobs.join(', ') || 'no jobs'}, not ${message.type}.`));
    }
    const upload = new PendingUpload(message);
    if (upload.isComplete) this.enqueue(owner, upload, new Map());
    else this.jobsOf(owner.clientId).set(message.id, { state: 'uploading', upload, owner });
  }

  acceptFrame(owner: JobOwner, frame: ImageFrame): void {
    const { output } = owner;
    const tracked = this.jobsIn(owner.clientId).get(frame.requestId);
    if (tracked?.state !== 'uploading') {
      return output.send(errorMessage(frame.requestId, 'FRAME_UNEXPECTED', `No request ${frame.requestId} is waiting for images on this connection.`));
    }
    const held = this.uploadBytesOf(owner.clientId);
    if (held + frame.pixels.byteLength > MAX_UPLOAD_BYTES_PER_CLIENT) {
      this.forget(owner.clientId, frame.requestId);
      return output.send(
        errorMessage(frame.requestId, 'UPLOAD_LIMIT_EXCEEDED', `Images of this connection's waiting jobs would take ${held + frame.pixels.byteLength} bytes (limit ${MAX_UPLOAD_BYTES_PER_CLIENT}).`),
      );
    }
    const outcome = tracked.upload.accept(frame);
    switch (outcome.status) {
      case 'incomplete':
        return;
      case 'refused':
        this.forget(owner.clientId, frame.requestId);
        return output.send(errorMessage(frame.requestId, outcome.code, outcome.detail));
      case 'complete':
        return this.enqueue(owner, tracked.upload, outcome.images);
      default:
        return assertNever(outcome);
    }
  }

  cancel(owner: JobOwner, message: CancelMessage): void {
    const tracked = this.jobsIn(owner.clientId).get(message.jobId);
    if (tracked === undefined) {
      return owner.output.send(errorMessage(message.id, 'JOB_NOT_FOUND', `Job ${message.jobId} is not queued or running.`));
    }
    this.cancelTracked(owner.clientId, message.jobId, tracked, 'client');
  }

  /** A disconnected client: its jobs stop. */
  dropClient(clientId: number): void {
    for (const [jobId, tracked] of [...this.jobsIn(clientId)]) this.cancelTracked(clientId, jobId, tracked, 'client');
  }

  /** Shutdown or model switch: every job stops and its client is told why. Resolves once the engine is free. */
  async cancelAll(reason: CancelReason): Promise<void> {
    for (const [clientId, jobs] of [...this.byClient]) {
      for (const [jobId, tracked] of [...jobs]) this.cancelTracked(clientId, jobId, tracked, reason);
    }
    await this.queue.whenRunningDone();
  }

  private enqueue(owner: JobOwner, upload: PendingUpload, images: ReadonlyMap<number, ImageFrame>): void {
    const { message } = upload;
    let job: ServerJob;
    try {
      const engineRequest = message.type === 'generate' ? generateRequestFrom(message) : brushRequestFrom(message, images);
      job = { id: message.id, clientId: owner.clientId, owner, engineRequest, uploadBytes: upload.byteLength, cancelReason: null };
    } catch (error) {
      this.forget(owner.clientId, message.id);
      if (!(error instanceof ImageMismatchError)) throw error;
      return owner.output.send(errorMessage(message.id, 'IMAGE_INVALID', error.message));
    }
    this.jobsOf(owner.clientId).set(message.id, { state: 'queued', job });
    this.queue.enqueue(job);
  }

  /** Sending to a closed connection does nothing, so a disconnected client's jobs go the same way. */
  private cancelTracked(clientId: number, jobId: number, tracked: TrackedJob, reason: CancelReason): void {
    if (tracked.state === 'uploading') {
      this.forget(clientId, jobId);
      tracked.owner.output.send({ type: 'cancelled', replyTo: jobId, reason });
      return;
    }
    const { job } = tracked;
    job.cancelReason ??= reason;
    if (this.queue.cancel(job) === 'removed-from-queue') {
      this.forget(clientId, jobId);
      sendCancelled(job, reason);
    }
    // A running job answers 'cancelled' itself once the engine has let go (job-runner.ts).
  }

  private jobsIn(clientId: number): ReadonlyMap<number, TrackedJob> {
    return this.byClient.get(clientId) ?? new Map();
  }

  private jobsOf(clientId: number): Map<number, TrackedJob> {
    let jobs = this.byClient.get(clientId);
    if (jobs === undefined) {
      jobs = new Map();
      this.byClient.set(clientId, jobs);
    }
    return jobs;
  }

  private forget(clientId: number, jobId: number): void {
    const jobs = this.byClient.get(clientId);
    jobs?.delete(jobId);
    if (jobs?.size === 0) this.byClient.delete(clientId);
  }

  /** Pixels this client's jobs hold before they start. */
  private uploadBytesOf(clientId: number): number {
    let bytes = 0;
    for (const tracked of this.jobsIn(clientId).values()) {
      bytes += tracked.state === 'uploading' ? tracked.upload.byteLength : tracked.job.uploadBytes;
    }
    return bytes;
  }
}
