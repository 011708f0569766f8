import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EngineHost } from '../companion-server/engine-host';
import { EngineError } from '../companion-server/engine/engine-error';
import type { JobKind } from '../companion-server/engine/job-handlers';
import { JobCancelledError, type ProgressEvent } from '../companion-server/engine/jobs';

const TINY_SD = join(__dirname, '../models/tiny-sd');

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: Error) => error,
  );
}

describe('EngineHost on models/tiny-sd', () => {
  let host: EngineHost;
  beforeAll(async () => {
    host = await EngineHost.start({ modelDir: TINY_SD, providers: ['cpu'] });
  });
  afterAll(() => host.close());

  test('reports the model the worker loaded', async () => {
    expect(host.info).toMatchObject({ id: 'tiny-sd', provider: 'cpu', vaeScaleFactor: 8, latentChannels: 4, canEncodeImages: true });
    expect(host.info.nativeSize % 8).toBe(0);
    expect(await host.run('info', {})).toMatchObject({ id: 'tiny-sd', directory: TINY_SD });
  });

  test("the main thread's event loop keeps ticking while the UNet runs in the worker", async () => {
    // UNet steps at 384x384 for two seconds of wall time, however fast this machine is.
    const controller = new AbortController();
    let steps = 0;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = performance.now();
    setTimeout(() => controller.abort(), 2000);
    const job = host.run('unet-probe', { steps: 10_000, width: 384, height: 384 }, { signal: controller.signal, onProgress: () => steps++ });
    expect(await rejection(job)).toBeInstanceOf(JobCancelledError);
    const elapsed = performance.now() - started;
    clearInterval(timer);
    expect(steps).toBeGreaterThan(0);
    // Blocked by session.run, the loop would tick a handful of times; free, about once per 10 ms.
    // Half of that allows for a busy machine.
    expect(ticks).toBeGreaterThan((elapsed / 10) * 0.5);
  });

  test('progress arrives per step, with the time spent in onnxruntime', async () => {
    const events: ProgressEvent[] = [];
    const result = await host.run('unet-probe', { steps: 3, width: 64, height: 64 }, { onProgress: (event) => events.push(event) });
    expect(events).toEqual([1, 2, 3].map((step) => ({ phase: 'denoise', step, total: 3 })));
    expect(result.outputDims).toEqual([2, 4, 8, 8]);
    // The time inside onnxruntime is part of the job's wall time.
    expect(result.onnxMilliseconds).toBeGreaterThan(0);
    expect(result.onnxMilliseconds).toBeLessThanOrEqual(result.milliseconds);
  });

  test('cancelling a running job frees the worker within a step', async () => {
    const controller = new AbortController();
    let stepsSeen = 0;
    const job = host.run('unet-probe', { steps: 1000, width: 256, height: 256 }, {
      signal: controller.signal,
      onProgress: () => {
        stepsSeen++;
        controller.abort();
      },
    });
    expect(await rejection(job)).toBeInstanceOf(JobCancelledError);
    expect(stepsSeen).toBeLessThanOrEqual(2);
    expect((await host.run('unet-probe', { steps: 1, width: 64, height: 64 })).steps).toBe(1);
  });

  test('cancelling a queued job drops it without disturbing the running one', async () => {
    const controller = new AbortController();
    const first = host.run('unet-probe', { steps: 2, width: 64, height: 64 });
    const second = host.run('unet-probe', { steps: 2, width: 64, height: 64 }, { signal: controller.signal });
    controller.abort();
    expect(await rejection(second)).toBeInstanceOf(JobCancelledError);
    expect((await first).steps).toBe(2);
  });

  test('a job error crosses the boundary with its code and message', async () => {
    const error = await rejection(host.run('unet-probe', { steps: 0 }));
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('INVALID_JOB_PARAMS');
    expect(error.message).toContain('whole number of steps');
    const unknown = await rejection(host.run('no-such-job' as JobKind, {} as never));
    expect((unknown as EngineError).code).toBe('UNKNOWN_JOB_KIND');
    expect(unknown.message).toContain('info, unet-probe');
  });
});

test('the worker also starts when the host runs under tsx, as the CLI does', async () => {
  const script = join(__dirname, 'support/fixtures-engine-host-script.ts');
  const { stdout } = await promisify(execFile)(process.execPath, [require.resolve('tsx/cli'), script, TINY_SD]);
  expect(JSON.parse(stdout)).toEqual({ model: 'tiny-sd', outputDims: [2, 4, 8, 8] });
});

describe('EngineHost failures', () => {
  test('a model folder that cannot load rejects start with the loader error', async () => {
    const error = await rejection(EngineHost.start({ modelDir: '/nonexistent/model', providers: ['cpu'] }));
    expect((error as EngineError).code).toBe('MODEL_INVALID');
    expect(error.message).toContain('/nonexistent/model does not exist');
  });

  test('a worker crash rejects pending jobs and later runs, and leaves this process running', async () => {
    const host = await EngineHost.start({
      modelDir: TINY_SD,
      providers: ['cpu'],
      workerEntry: join(__dirname, 'support/fixtures-crashing-worker.ts'),
    });
    const crashing = host.run('crash' as JobKind, {} as never);
    const queued = host.run('info', {});
    const error = await rejection(crashing);
    expect((error as EngineError).code).toBe('WORKER_CRASHED');
    expect(error.message).toContain('simulated crash outside any job');
    expect((await rejection(queued)) as EngineError).toMatchObject({ code: 'WORKER_CRASHED' });
    expect((await rejection(host.run('info', {}))) as EngineError).toMatchObject({ code: 'WORKER_CRASHED' });
    await host.close();
  });

  test('after close, runs are refused', async () => {
    const host = await EngineHost.start({ modelDir: TINY_SD, providers: ['cpu'] });
    await host.close();
    expect((await rejection(host.run('info', {}))) as EngineError).toMatchObject({ code: 'ENGINE_CLOSED' });
  });
});
