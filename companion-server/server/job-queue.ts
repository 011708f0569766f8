/**
 * One engine's job queue: FIFO per client, round-robin between clients, one job running at a time.
 * A client that queues ten jobs does not make another client's single job wait behind all ten.
 *
 * Round-robin as "least recently served first": the next job comes from the waiting client whose
 * last job started longest ago (never counts as longest); ties go to the job that arrived first.
 * With every client backlogged this is plain rotation, and a newcomer goes next.
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

interface Waiting<J> {
  job: J;
  /** Arrival order, for ties. */
  arrival: number;
}

export class FairJobQueue<J extends QueueEntry> {
  /** Waiting jobs per client, in arrival order. */
  private readonly waiting = new Map<number, Waiting<J>[]>();
  /** When each client's last job started (a counter), for clients with waiting or running jobs. */
  private readonly lastStarted = new Map<number, number>();
  private readonly reportedPositions = new Map<J, number>();
  private running: { job: J; controller: AbortController; done: Promise<void> } | null = null;
  private arrivals = 0;
  private starts = 0;

  constructor(private readonly events: JobQueueEvents<J>) {}

  enqueue(job: J): void {
    const entry = { job, arrival: this.arrivals++ };
    const queue = this.waiting.get(job.clientId);
    if (queue === undefined) this.waiting.set(job.clientId, [entry]);
    else queue.push(entry);
    this.reportPositions();
    this.startNext();
  }

  cancel(job: J): CancelOutcome {
    if (this.running?.job === job) {
      this.running.controller.abort();
      return 'aborted-while-running';
    }
    const queue = this.waiting.get(job.clientId);
    const index = queue?.findIndex((entry) => entry.job === job) ?? -1;
    if (queue === undefined || index < 0) return 'not-found';
    queue.splice(index, 1);
    if (queue.length === 0) this.waiting.delete(job.clientId);
    this.forgetIdleClient(job.clientId);
    this.reportedPositions.delete(job);
    this.reportPositions();
    return 'removed-from-queue';
  }

  /** Jobs waiting or running. */
  get size(): number {
    let size = this.running === null ? 0 : 1;
    for (const queue of this.waiting.values()) size += queue.length;
    return size;
  }

  /** Resolves when nothing is running (after a cancel, once the engine has let go). */
  async whenRunningDone(): Promise<void> {
    await this.running?.done;
  }

  /** The order waiting jobs will start in. */
  private order(): J[] {
    const queues = new Map([...this.waiting].map(([clientId, queue]) => [clientId, [...queue]]));
    const lastStarted = new Map(this.lastStarted);
    const order: J[] = [];
    let clock = this.starts;
    for (let clientId = pickClient(queues, lastStarted); clientId !== null; clientId = pickClient(queues, lastStarted)) {
      order.push(takeHead(queues, clientId));
      lastStarted.set(clientId, ++clock);
    }
    return order;
  }

  private startNext(): void {
    if (this.running !== null) return;
    const clientId = pickClient(this.waiting, this.lastStarted);
    if (clientId === null) return;
    const job = takeHead(this.waiting, clientId);
    this.lastStarted.set(clientId, ++this.starts);
    this.reportedPositions.delete(job);
    const controller = new AbortController();
    const done = this.events
      .run(job, controller.signal)
      .catch(() => undefined)
      .finally(() => {
        this.running = null;
        this.forgetIdleClient(job.clientId);
        this.startNext();
      });
    this.running = { job, controller, done };
    this.reportPositions();
  }

  /** A client with nothing waiting or running starts afresh next time (as a newcomer). */
  private forgetIdleClient(clientId: number): void {
    if (!this.waiting.has(clientId) && this.running?.job.clientId !== clientId) this.lastStarted.delete(clientId);
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

function pickClient<J>(queues: ReadonlyMap<number, Waiting<J>[]>, lastStarted: ReadonlyMap<number, number>): number | null {
  let best: { clientId: number; last: number; arrival: number } | null = null;
  for (const [clientId, queue] of queues) {
    const candidate = { clientId, last: lastStarted.get(clientId) ?? 0, arrival: queue[0].arrival };
    if (best === null || candidate.last < best.last || (candidate.last === best.last && candidate.arrival < best.arrival)) best = candidate;
  }
  return best?.clientId ?? null;
}

function takeHead<J>(queues: Map<number, Waiting<J>[]>, clientId: number): J {
  const queue = queues.get(clientId) as Waiting<J>[];
  const { job } = queue.shift() as Waiting<J>;
  if (queue.length === 0) queues.delete(clientId);
  return job;
}
