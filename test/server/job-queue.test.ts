import { FairJobQueue } from '../../companion-server/server/job-queue';

interface TestJob {
  clientId: number;
  name: string;
}

function harness() {
  const ran: string[] = [];
  const positions: string[] = [];
  let finishCurrent: (() => void) | null = null;
  const signals: AbortSignal[] = [];
  const queue = new FairJobQueue<TestJob>({
    run: (job, signal) => {
      ran.push(job.name);
      signals.push(signal);
      return new Promise<void>((resolve) => {
        finishCurrent = resolve;
        signal.addEventListener('abort', () => resolve());
      });
    },
    positionChanged: (job, position) => positions.push(`${job.name}@${position}`),
  });
  const finish = async () => {
    finishCurrent?.();
    await queue.whenRunningDone();
  };
  return { queue, ran, positions, signals, finish };
}

const job = (clientId: number, name: string): TestJob => ({ clientId, name });

describe('the fair job queue', () => {
  it('alternates between clients and keeps each client FIFO', async () => {
    const { queue, ran, finish } = harness();
    for (const name of ['a1', 'a2', 'a3']) queue.enqueue(job(1, name));
    for (const name of ['b1', 'b2']) queue.enqueue(job(2, name));
    queue.enqueue(job(3, 'c1'));
    while (queue.size > 0) await finish();
    expect(ran).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
  });

  it('reports each waiting job its position, and again when it moves up', async () => {
    const { queue, positions, finish } = harness();
    queue.enqueue(job(1, 'a1'));
    queue.enqueue(job(1, 'a2'));
    queue.enqueue(job(2, 'b1'));
    expect(positions).toEqual(['a1@0', 'a2@0', 'b1@0', 'a2@1']);
    await finish();
    expect(positions.slice(4)).toEqual(['a2@0']);
  });

  it('removes a waiting job on cancel and aborts a running one', async () => {
    const { queue, ran, signals, finish } = harness();
    const running = job(1, 'a1');
    const waiting = job(1, 'a2');
    queue.enqueue(running);
    queue.enqueue(waiting);
    expect(queue.size).toBe(2);
    expect(queue.cancel(waiting)).toBe('removed-from-queue');
    expect(queue.size).toBe(1);
    expect(queue.cancel(running)).toBe('aborted-while-running');
    expect(signals[0].aborted).toBe(true);
    await finish();
    expect(ran).toEqual(['a1']);
    expect(queue.size).toBe(0);
    expect(queue.cancel(running)).toBe('not-found');
  });
});
