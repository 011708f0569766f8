/**
 * Memory over many jobs on the real engine: after a warm-up, RSS must level off (ONNX tensors,
 * uploaded images and result frames released), not grow with the number of jobs.
 */
import { rectMask, openTinyEngine, SMALL_GENERATION, TINY_SD } from './support/real-engine';
import { startTestServer, type TestServer } from './support/server-fixture';

const WARM_UP_JOBS = 10;
const MEASURED_JOBS = 50;
/** Allowed RSS growth over the measured jobs: far below what keeping each job's buffers would cost. */
const MAX_GROWTH_MB = 48;

let fixture: TestServer;

beforeAll(async () => {
  fixture = await startTestServer(openTinyEngine, { modelDir: TINY_SD });
});

afterAll(async () => {
  await fixture.stop();
});

const rssMb = () => process.memoryUsage().rss / 2 ** 20;

it(`keeps RSS level over ${MEASURED_JOBS} small generate and brush jobs`, async () => {
  const client = await fixture.client();
  const size = 256;
  const source = new Uint8Array(size * size * 4).fill(128);
  const mask = rectMask(size, size, { left: 64, top: 64, width: 96, height: 96 });
  let id = 1;
  const runJob = async (index: number) => {
    const jobId = id++;
    if (index % 2 === 0) {
      client.send({ type: 'generate', id: jobId, ...SMALL_GENERATION, width: size, height: size, steps: 3, seed: index, previewEvery: 1 });
    } else {
      client.send({
        type: 'brush',
        id: jobId,
        source: { imageId: 0 },
        masks: [{ mask: { imageId: 1 }, step: 1, strength: 0.8, seed: index }],
        prompt: 'lake',
        steps: 3,
        guidance: 4,
        scheduler: 'ddim',
        trajectory: { kind: 'noise', seed: index },
        variations: 2,
        previewEvery: 1,
      });
      client.sendFrame({ requestId: jobId, imageId: 0, format: 'rgba8', width: size, height: size }, source);
      client.sendFrame({ requestId: jobId, imageId: 1, format: 'gray8', width: size, height: size }, mask.data);
    }
    const events = await client.jobEvents(jobId);
    expect(events.at(-1)).toMatchObject({ kind: 'frame', frame: { kind: 'result' } });
    // Drop what the test client kept, so only the server's memory is measured.
    client.received.length = 0;
    client.forgetTaken();
  };
  for (let i = 0; i < WARM_UP_JOBS; i++) await runJob(i);
  const samples: number[] = [rssMb()];
  for (let i = 0; i < MEASURED_JOBS; i++) {
    await runJob(WARM_UP_JOBS + i);
    if ((i + 1) % 10 === 0) samples.push(rssMb());
  }
  console.log(`RSS (MiB) after ${WARM_UP_JOBS} warm-up jobs, then every 10 jobs: ${samples.map((mb) => mb.toFixed(0)).join(', ')}`);
  expect(Math.max(...samples) - samples[0]).toBeLessThan(MAX_GROWTH_MB);
});
