import { MAX_QUEUED_JOBS_PER_CLIENT, MAX_QUEUED_JOBS_TOTAL, type ClientMessageInput, type ServerMessage } from '../../companion-server/protocol';
import { FakeEngine } from './support/fake-engine';
import { startTestServer, type TestServer } from './support/server-fixture';
import { TestClient, type Received } from './support/test-client';

let engine: FakeEngine;
let fixture: TestServer;

beforeEach(async () => {
  engine = new FakeEngine(2);
  fixture = await startTestServer(async () => engine);
});

afterEach(async () => {
  await fixture.stop();
});

const generate = (id: number, prompt: string, extra: Partial<Extract<ClientMessageInput, { type: 'generate' }>> = {}): ClientMessageInput => ({
  type: 'generate',
  id,
  prompt,
  steps: 3,
  guidance: 7,
  scheduler: 'ddim',
  seed: id,
  width: 16,
  height: 8,
  ...extra,
});

const types = (events: Received[]) => events.map((event) => (event.kind === 'frame' ? `frame:${event.frame.kind}` : event.message.type));

describe('jobs over the socket', () => {
  it('report queued, started, progress with previews, then the result and its frame', async () => {
    const client = await fixture.client();
    client.send(generate(1, 'apple', { previewEvery: 2 }));
    const events = await client.jobEvents(1);
    expect(types(events)).toEqual(['queued', 'started', 'progress', 'progress', 'frame:preview', 'progress', 'generate-result', 'frame:result']);
    const result = events[6] as { message: Extract<ServerMessage, { type: 'generate-result' }> };
    expect(result.message).toMatchObject({ image: { imageId: 0, width: 16, height: 8, format: 'rgba8' }, parameters: { prompt: 'apple', seed: 1, negativePrompt: '' } });
    expect(events[7]).toMatchObject({ frame: { requestId: 1, imageId: 0, width: 16, height: 8 } });
  });

  it('interleave two clients fairly however many jobs the first one queued', async () => {
    const release = engine.hold();
    const a = await fixture.client();
    const b = await fixture.client();
    for (const id of [1, 2, 3, 4]) a.send(generate(id, `a${id}`));
    await a.nextMessage((m) => m.type === 'queued' && m.replyTo === 4);
    for (const id of [1, 2]) b.send(generate(id, `b${id}`));
    await b.nextMessage((m) => m.type === 'queued' && m.replyTo === 2);
    release();
    await Promise.all([...[1, 2, 3, 4].map((id) => a.jobEvents(id)), ...[1, 2].map((id) => b.jobEvents(id))]);
    expect(engine.started.map((job) => job.prompt)).toEqual(['a1', 'b1', 'a2', 'b2', 'a3', 'a4']);
  });

  it('cancel a queued job without running it', async () => {
    const release = engine.hold();
    const client = await fixture.client();
    client.send(generate(1, 'running'));
    client.send(generate(2, 'queued'));
    await client.nextMessage((m) => m.type === 'queued' && m.replyTo === 2);
    client.send({ type: 'cancel', id: 3, jobId: 2 });
    expect(types(await client.jobEvents(2))).toEqual(['cancelled']);
    release();
    await client.jobEvents(1);
    expect(engine.started.map((job) => job.prompt)).toEqual(['running']);
  });

  it('cancel a running job: the engine stops and the next job starts', async () => {
    const client = await fixture.client();
    client.send(generate(1, 'long', { steps: 100 }));
    client.send(generate(2, 'next'));
    await client.nextMessage((m) => m.type === 'progress' && m.replyTo === 1);
    client.send({ type: 'cancel', id: 3, jobId: 1 });
    const events = await client.jobEvents(1);
    expect(events.at(-1)).toMatchObject({ message: { type: 'cancelled', reason: 'client' } });
    expect(engine.cancelled).toBe(1);
    expect(types(await client.jobEvents(2)).at(-2)).toBe('generate-result');
  });

  it('answer a cancel for an unknown job with JOB_NOT_FOUND', async () => {
    const client = await fixture.client();
    expect(await client.request({ type: 'cancel', id: 4, jobId: 77 })).toMatchObject({ type: 'error', code: 'JOB_NOT_FOUND', replyTo: 4 });
  });

  it('cancel the jobs of a client that disconnects mid-job, and keep serving others', async () => {
    const leaver = await fixture.client();
    leaver.send(generate(1, 'leaver-running', { steps: 100 }));
    leaver.send(generate(2, 'leaver-queued'));
    await leaver.nextMessage((m) => m.type === 'progress');
    leaver.close();
    await leaver.whenClosed();
    const stayer = await fixture.client();
    stayer.send(generate(1, 'stayer'));
    expect(types(await stayer.jobEvents(1)).at(-2)).toBe('generate-result');
    expect(engine.cancelled).toBe(1);
    expect(engine.started.map((job) => job.prompt)).toEqual(['leaver-running', 'stayer']);
  });

  it('end a connection that stops answering pings, and cancel its job', async () => {
    await fixture.stop();
    fixture = await startTestServer(async () => engine, { heartbeatIntervalMs: 50 });
    const token = await fixture.pairToken();
    const silent = await TestClient.connect(fixture.url, {}, { autoPong: false });
    await silent.hello();
    await silent.request({ type: 'auth', id: 1, token });
    silent.send(generate(2, 'silent', { steps: 150 }));
    await silent.nextMessage((m) => m.type === 'started');
    expect(await silent.whenClosed()).toBe(1006);
    const answering = await fixture.client();
    answering.send(generate(3, 'answering'));
    expect(types(await answering.jobEvents(3)).at(-2)).toBe('generate-result');
    expect(engine.cancelled).toBe(1);
  });

  it('refuse a reused job id and a full per-client queue', async () => {
    const release = engine.hold();
    const client = await fixture.client();
    for (let id = 1; id <= MAX_QUEUED_JOBS_PER_CLIENT; id++) client.send(generate(id, `job${id}`));
    expect(await client.request(generate(1, 'again'))).toMatchObject({ type: 'queued' });
    expect(await client.nextMessage((m) => m.type === 'error' && m.replyTo === 1)).toMatchObject({ code: 'REQUEST_ID_IN_USE' });
    expect(await client.request(generate(99, 'one too many'))).toMatchObject({ type: 'error', code: 'QUEUE_FULL' });
    release();
  });

  it('refuse jobs once all clients together hold the total limit', async () => {
    const release = engine.hold();
    const clients = await Promise.all(Array.from({ length: MAX_QUEUED_JOBS_TOTAL / MAX_QUEUED_JOBS_PER_CLIENT }, () => fixture.client()));
    for (const client of clients) {
      for (let id = 1; id <= MAX_QUEUED_JOBS_PER_CLIENT; id++) client.send(generate(id, 'fill'));
      await client.nextMessage((m) => m.type === 'queued' && m.replyTo === MAX_QUEUED_JOBS_PER_CLIENT);
    }
    const late = await fixture.client();
    expect(await late.request(generate(1, 'late'))).toMatchObject({ type: 'error', code: 'SERVER_BUSY' });
    release();
  });

  it('run a brush job once its source and mask frames arrive', async () => {
    const client = await fixture.client();
    client.send(brush(5));
    client.sendFrame({ requestId: 5, imageId: 10, format: 'rgba8', width: 4, height: 2 }, new Uint8Array(32).fill(9));
    client.sendFrame({ requestId: 5, imageId: 11, format: 'gray8', width: 4, height: 2 }, new Uint8Array(8).fill(200));
    const events = await client.jobEvents(5);
    expect(types(events).slice(-5)).toEqual(['brush-result', 'frame:result', 'frame:result', 'frame:result', 'frame:result']);
    const result = events.find((e) => e.kind === 'message' && e.message.type === 'brush-result') as { message: Extract<ServerMessage, { type: 'brush-result' }> };
    expect(result.message.variations.map((v) => [v.image.imageId, v.layerMask.imageId])).toEqual([[0, 1], [2, 3]]);
    expect(result.message.parameters).toMatchObject({ masks: [{ step: 1, strength: 0.5, seed: 3 }], variations: 2, trajectory: { kind: 'noise', seed: 4 } });
    expect(events.at(-1)).toMatchObject({ frame: { imageId: 3, format: 'gray8', pixels: new Uint8Array(8).fill(200) } });
  });

  it('refuse a mask whose size differs from the source, naming both sizes', async () => {
    const client = await fixture.client();
    client.send(brush(6));
    client.sendFrame({ requestId: 6, imageId: 10, format: 'rgba8', width: 4, height: 2 }, new Uint8Array(32));
    client.sendFrame({ requestId: 6, imageId: 11, format: 'gray8', width: 2, height: 2 }, new Uint8Array(4));
    const answer = await client.nextMessage((m) => m.type === 'error');
    expect(answer).toMatchObject({ replyTo: 6, code: 'IMAGE_INVALID', message: expect.stringMatching(/2x2 but the source is 4x2/) });
  });

  it('take a 4096x4096 RGBA source over the socket (the largest crop the protocol promises)', async () => {
    const client = await fixture.client();
    const side = 4096;
    client.send(brush(7));
    client.sendFrame({ requestId: 7, imageId: 10, format: 'rgba8', width: side, height: side }, new Uint8Array(side * side * 4));
    // The job waits for its mask: the source was accepted, not refused or cut off (1009).
    client.send({ type: 'cancel', id: 8, jobId: 7 });
    expect(await client.nextMessage()).toMatchObject({ type: 'cancelled', replyTo: 7, reason: 'client' });
    expect(client.closeCode).toBeNull();
  });

  it('refuse frames nobody asked for', async () => {
    const client = await fixture.client();
    client.sendFrame({ requestId: 42, imageId: 0, format: 'gray8', width: 1, height: 1 }, new Uint8Array(1));
    expect(await client.nextMessage()).toMatchObject({ type: 'error', replyTo: 42, code: 'FRAME_UNEXPECTED' });
  });

  it('on shutdown, cancel running jobs, tell clients and close the engine', async () => {
    const client = await fixture.client();
    client.send(generate(1, 'long', { steps: 150 }));
    await client.nextMessage((m) => m.type === 'progress');
    const closing = fixture.server.close();
    expect(await client.nextMessage((m) => m.type === 'cancelled')).toMatchObject({ replyTo: 1, reason: 'shutdown' });
    expect(await client.nextMessage((m) => m.type === 'shutdown')).toBeDefined();
    expect(await client.whenClosed()).toBe(1001);
    await closing;
    expect(engine.closed).toBe(true);
  });
});

function brush(id: number): ClientMessageInput {
  return {
    type: 'brush',
    id,
    source: { imageId: 10 },
    masks: [{ mask: { imageId: 11 }, step: 1, strength: 0.5, seed: 3 }],
    prompt: 'pear',
    steps: 2,
    guidance: 5,
    scheduler: 'euler',
    trajectory: { kind: 'noise', seed: 4 },
    variations: 2,
  };
}
