/**
 * One engine's job queue: FIFO per client, round-robin between clients, one job running at a time.
 * A client that queues ten jobs does not make another client's single job wait behind all ten.
 */
export interface QueueEntry {
  readonly clientId: number;
}

export interface JobQueueEvents<J extends QueueEntry> {
  /** Runs the job; the signal aborts when the job is cancelled while running. */
  run(job: J, signal: AbortSignal): Promise<void>;
  /** A queued job's position (jobs that start before it) changed, or was first set. */
  positionChanged(job: J, position: number): void;
}

export type CancelOutcome = 'removed-from-queue' | 'aborted-while-running' | 'not-found';

export class FairJobQueue<J extends QueueEntry> {
  /** Waiting jobs per client, in arrival order. */
  private readonly waiting = new Map<number, J[]>();
  /** Clients with waiting jobs, in the order they are served next. */
  private rotation: number[] = [];
  private readonly reportedPositions = new Map<J, number>();
  private running: { job: J; controller: AbortController; done: Promise<void> } | null = null;

  constructor(private readonly events: JobQueueEvents<J>) {}

  enqueue(job: J): void {
    const queue = this.waiting.get(job.clientId);
    if (queue === undefined) {
      this.waiting.set(job.clientId, [job]);
      this.rotation.push(job.clientId);
    } else {
      queue.push(job);
    }
    this.reportPositions();
    this.startNext();
  }

  cancel(job: J): CancelOutcome {
    if (this.running?.job === job) {
      this.running.controller.abort();
      return 'aborted-while-running';
    }
    const queue = this.waiting.get(job.clientId);
    const index = queue?.indexOf(job) ?? -1;
    if (queue === undefined || index < 0) return 'not-found';
    queue.splice(index, 1);
    if (queue.length === 0) this.forgetClient(job.clientId);
    this.reportedPositions.delete(job);
    this.reportPositions();
    return 'removed-from-queue';
  }

  /** Every job waiting or running, running first. */
  jobs(): J[] {
    return [...(this.running ? [this.running.job] : []), ...this.order()];
  }

  get size(): number {
    return this.jobs().length;
  }

  /** Resolves when nothing is running (after a cancel, once the engine has let go). */
  async whenRunningDone(): Promise<void> {
    await this.running?.done;
  }

  /** The order waiting jobs will start in: round-robin over clients, FIFO within one. */
  private order(): J[] {
    const cursors = this.rotation.map((clientId) => ({ queue: this.waiting.get(clientId) ?? [], next: 0 }));
    const order: J[] = [];
    while (cursors.some((cursor) => cursor.next < cursor.queue.length)) {
      for (const cursor of cursors) {
        if (cursor.next < cursor.queue.length) order.push(cursor.queue[cursor.next++]);
      }
    }
    return order;
  }

  private startNext(): void {
    if (this.running !== null || this.rotation.length === 0) return;
    const clientId = this.rotation.shift() as number;
    const queue = this.waiting.get(clientId) as J[];
    const job = queue.shift() as J;
    if (queue.length === 0) this.waiting.delete(clientId);
    else this.rotation.push(clientId);
    this.reportedPositions.delete(job);
    const controller = new AbortController();
    const done = this.events
      .run(job, controller.signal)
      .catch(() => undefined)
      .finally(() => {
        this.running = null;
        this.startNext();
      });
    this.running = { job, controller, done };
    this.reportPositions();
  }

  private forgetClient(clientId: number): void {
    this.waiting.delete(clientId);
    this.rotation = this.rotation.filter((id) => id !== clientId);
  }

  private reportPositions(): void {
    this.order().forEach((job, position) => {
      if (this.reportedPositions.get(job) !== position) {
        this.reportedPositions.set(job, position);
        this.events.positionChanged(job, position);
      }
    });
  }
}
