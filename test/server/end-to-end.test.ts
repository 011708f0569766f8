/**
 * The real server with the real engine (EngineHost, models/tiny-sd, CPU) over real sockets: what a
 * client receives must be exactly what the engine computes when called directly.
 */
import type { EngineHost } from '../../companion-server/engine-host';
import type { BrushRequest, BrushResult, GenerateResult, ProgressEvent } from '../../companion-server/engine/jobs';
import type { ServerMessage } from '../../companion-server/protocol';
import { openTinyEngine, rectMask, SMALL_GENERATION, startDirectEngine, TINY_SD } from './support/real-engine';
import { startTestServer, type TestServer } from './support/server-fixture';
import type { Received, TestClient } from './support/test-client';

let fixture: TestServer;
let direct: EngineHost;
let client: TestClient;
let generated: GenerateResult;
let nextJobId = 100;

beforeAll(async () => {
  [fixture, direct] = await Promise.all([startTestServer(openTinyEngine, { modelDir: TINY_SD }), startDirectEngine()]);
  client = await fixture.client();
  generated = await direct.run('generate', SMALL_GENERATION);
});

afterAll(async () => {
  await Promise.all([fixture.stop(), direct.close()]);
});

const messagesOf = (events: Received[]) => events.flatMap((event) => (event.kind === 'message' ? [event.message] : []));
const framesOf = (events: Received[]) => events.flatMap((event) => (event.kind === 'frame' ? [event.frame] : []));

/** The progress a client saw, as (phase, step, total): it must be what the engine reported, in the engine's order. */
const progressOf = (messages: ServerMessage[]) =>
  messages.flatMap((m) => (m.type === 'progress' ? [`${m.phase} ${m.step}/${m.total}`] : []));

async function directProgress(run: (onProgress: (event: ProgressEvent) => void) => Promise<unknown>): Promise<string[]> {
  const events: string[] = [];
  await run((event) => events.push(`${event.phase} ${event.step}/${event.total}`));
  return events;
}

describe('jobs end to end on the tiny model', () => {
  it('server info names the model, its provider, both job kinds and the limits', async () => {
    const info = await client.request({ type: 'get-info', id: 1 });
    expect(info).toMatchObject({ type: 'server-info', model: { id: 'tiny-sd', nativeWidth: 256, vaeScaleFactor: 8 }, provider: 'cpu', capabilities: { jobs: ['generate', 'brush'] } });
    expect(await client.request({ type: 'list-models', id: 2 })).toMatchObject({ type: 'models', models: expect.arrayContaining([{ id: 'tiny-sd', active: true }]) });
  });

  it('generate: progress in order, previews when asked, and the pixels the engine gives directly', async () => {
    client.send({ type: 'generate', id: 10, ...SMALL_GENERATION, previewEvery: 2 });
    const events = await client.jobEvents(10);
    const messages = messagesOf(events);
    expect(messages.slice(0, 2).map((m) => m.type)).toEqual(['queued', 'started']);
    const expected = await directProgress((onProgress) => direct.run('generate', { ...SMALL_GENERATION, previewEvery: 2 }, { onProgress }));
    expect(progressOf(messages)).toEqual(expected);
    expect(expected.at(-1)).toBe('decode 1/1');
    const previews = messages.flatMap((m) => (m.type === 'progress' && m.preview ? [m.preview] : []));
    expect(previews.length).toBeGreaterThan(0);
    const frames = framesOf(events);
    expect(frames.filter((f) => f.kind === 'preview').map((f) => f.imageId)).toEqual(previews.map((p) => p.imageId));
    const [result] = frames.filter((f) => f.kind === 'result');
    expect(result).toMatchObject({ width: 64, height: 64, format: 'rgba8' });
    expect(Buffer.from(result.pixels).equals(Buffer.from(generated.image.data))).toBe(true);
  });

  it.each([
    { name: 'a generated source, one mask', trajectory: { kind: 'generated' as const, generation: SMALL_GENERATION }, prompts: [undefined] },
    { name: 'an inverted source, two masks with their own prompt and noise mode', trajectory: { kind: 'invert' as const }, prompts: ['moss', undefined], noiseMode: 'variance-preserving' as const },
    { name: 'a forward-noised source, two masks', trajectory: { kind: 'noise' as const, seed: 3 }, prompts: [undefined, 'reeds'] },
  ])('brush on $name: progress, previews and variations identical to the engine called directly', async ({ trajectory, prompts, noiseMode }) => {
    const jobId = nextJobId++;
    const regions = [
      { left: 16, top: 16, width: 24, height: 24 },
      { left: 30, top: 8, width: 20, height: 40 },
    ];
    const masks = prompts.map((prompt, i) => ({ mask: rectMask(64, 64, regions[i]), step: 2 + i, strength: 1 - i / 4, seed: 5 + i, prompt }));
    const settings = {
      prompt: SMALL_GENERATION.prompt,
      negativePrompt: '',
      steps: SMALL_GENERATION.steps,
      guidance: SMALL_GENERATION.guidance,
      scheduler: SMALL_GENERATION.scheduler,
      smoothingSteps: 2,
      noiseMode: noiseMode ?? ('additive' as const),
      trajectory,
      variations: 2,
      context: { kind: 'auto' as const },
      previewEvery: 2,
    };
    client.send({
      type: 'brush',
      id: jobId,
      ...settings,
      source: { imageId: 0 },
      masks: masks.map(({ mask: _pixels, ...params }, i) => ({ ...params, mask: { imageId: i + 1 } })),
    });
    client.sendFrame({ requestId: jobId, imageId: 0, format: 'rgba8', width: 64, height: 64 }, generated.image.data);
    masks.forEach(({ mask }, i) => client.sendFrame({ requestId: jobId, imageId: i + 1, format: 'gray8', width: 64, height: 64 }, mask.data));
    const events = await client.jobEvents(jobId);
    const messages = messagesOf(events);
    expect(messages.some((m) => m.type === 'progress' && m.preview !== undefined)).toBe(true);
    const result = messages.find((m) => m.type === 'brush-result');
    expect(result).toBeDefined();

    const request: BrushRequest = { ...settings, source: generated.image, masks };
    let expected: BrushResult | undefined;
    const expectedProgress = await directProgress(async (onProgress) => {
      expected = await direct.run('brush', request, { onProgress });
    });
    expect(progressOf(messages)).toEqual(expectedProgress);
    if (expected === undefined) throw new Error('the direct brush gave no result');
    const frames = framesOf(events).filter((f) => f.kind === 'result');
    expect(frames).toHaveLength(2 * expected.variations.length);
    expected.variations.forEach((variation, i) => {
      expect(Buffer.from(frames[2 * i].pixels).equals(Buffer.from(variation.image.data))).toBe(true);
      expect(Buffer.from(frames[2 * i + 1].pixels).equals(Buffer.from(variation.layerMask.data))).toBe(true);
      expect(result?.type === 'brush-result' && result.variations[i].placement).toEqual(variation.placement);
    });
  });

  it('passes on the engine\'s refusal of a request as JOB_INVALID, naming the parameter', async () => {
    client.send({
      type: 'brush',
      id: 25,
      source: { imageId: 0 },
      masks: [{ mask: { imageId: 1 }, step: 2, strength: 1, seed: 5 }],
      prompt: 'lake',
      steps: 6,
      guidance: 4,
      scheduler: 'ddim',
      trajectory: { kind: 'invert' },
    });
    client.sendFrame({ requestId: 25, imageId: 0, format: 'rgba8', width: 64, height: 64 }, generated.image.data);
    client.sendFrame({ requestId: 25, imageId: 1, format: 'gray8', width: 64, height: 64 }, new Uint8Array(64 * 64));
    expect(messagesOf(await client.jobEvents(25)).at(-1)).toMatchObject({ type: 'error', code: 'JOB_INVALID', message: expect.stringMatching(/masks\[0\]\.mask is empty/) });
  });

  it('answers pings while a job runs in the engine worker', async () => {
    client.send({ type: 'generate', id: 30, ...SMALL_GENERATION, width: 256, height: 256, steps: 20, seed: 8 });
    await client.nextMessage((m) => m.type === 'started' && m.replyTo === 30);
    const roundTrips: number[] = [];
    let done = false;
    const finished = client.jobEvents(30).then((events) => {
      done = true;
      return events;
    });
    for (let id = 31; !done; id++) {
      const sent = performance.now();
      await client.request({ type: 'ping', id: 1_000_000 + id });
      if (!done) roundTrips.push(performance.now() - sent);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await finished;
    roundTrips.sort((a, b) => a - b);
    console.log(`ping during a job: ${roundTrips.length} round trips, median ${roundTrips[roundTrips.length >> 1]?.toFixed(1)} ms, max ${roundTrips.at(-1)?.toFixed(1)} ms`);
    // Counted, not timed: with inference blocking the event loop there would be no answers until the job ended.
    expect(roundTrips.length).toBeGreaterThanOrEqual(3);
  });

  it('cancels a running job within a step and runs the next one', async () => {
    client.send({ type: 'generate', id: 40, ...SMALL_GENERATION, steps: 40, width: 128, height: 128 });
    client.send({ type: 'generate', id: 41, ...SMALL_GENERATION, steps: 2 });
    await client.nextMessage((m) => m.type === 'progress' && m.replyTo === 40 && m.phase === 'denoise');
    client.send({ type: 'cancel', id: 42, jobId: 40 });
    const events = messagesOf(await client.jobEvents(40));
    expect(events.at(-1)).toMatchObject({ type: 'cancelled', reason: 'client' });
    const denoised = events.flatMap((m) => (m.type === 'progress' && m.phase === 'denoise' ? [m.step] : []));
    expect(Math.max(...denoised)).toBeLessThan(40);
    expect(messagesOf(await client.jobEvents(41)).at(-1)).toMatchObject({ type: 'generate-result' });
  });

  it('cancels the job of a client that disconnects mid-job; the engine serves the next client', async () => {
    const leaver = await fixture.client();
    leaver.send({ type: 'generate', id: 1, ...SMALL_GENERATION, steps: 40, width: 128, height: 128 });
    await leaver.nextMessage((m) => m.type === 'progress' && m.phase === 'denoise');
    leaver.close();
    const started = performance.now();
    client.send({ type: 'generate', id: 50, ...SMALL_GENERATION, steps: 2 });
    expect(messagesOf(await client.jobEvents(50)).at(-1)).toMatchObject({ type: 'generate-result' });
    console.log(`next job done ${(performance.now() - started).toFixed(0)} ms after the disconnect`);
  });
});
