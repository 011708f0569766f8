import { InvalidRequestError } from '../../../companion-server/engine/errors';
import { JobCancelledError, type GenerateRequest } from '../../../companion-server/engine/jobs';
import { generate, generateTrajectory } from '../../../companion-server/engine/pipeline/generate';
import { SCHEDULER_KINDS } from '../../../companion-server/engine/schedulers';
import { gaussianNoise } from '../../../companion-server/engine/random';
import { loadCountingModel, recordingContext, type CountingModel } from '../../support/tiny-model';

const REQUEST: GenerateRequest = {
  prompt: 'a red fox in the snow',
  negativePrompt: 'blurry',
  steps: 4,
  guidance: 5,
  scheduler: 'ddim',
  seed: 11,
  width: 64,
  height: 64,
};

let tiny: CountingModel;
beforeAll(async () => {
  tiny = await loadCountingModel();
});
afterAll(() => tiny.model.release());

describe('text-to-image on the tiny model', () => {
  it('is deterministic per seed', async () => {
    const a = await generate(tiny.model, REQUEST, { ctx: recordingContext() });
    const b = await generate(tiny.model, REQUEST, { ctx: recordingContext() });
    expect(Buffer.from(a.image.data).equals(Buffer.from(b.image.data))).toBe(true);
    expect(a.trajectory.map((z) => Array.from(z.data))).toEqual(b.trajectory.map((z) => Array.from(z.data)));
  });

  it('differs across seeds', async () => {
    const a = await generate(tiny.model, REQUEST, { ctx: recordingContext() });
    const b = await generate(tiny.model, { ...REQUEST, seed: 12 }, { ctx: recordingContext() });
    expect(Buffer.from(a.image.data).equals(Buffer.from(b.image.data))).toBe(false);
  });

  it('returns the image at the requested size and the whole trajectory Z_0..Z_N', async () => {
    const { image, trajectory } = await generate(tiny.model, { ...REQUEST, width: 64, height: 128 }, { ctx: recordingContext() });
    expect([image.width, image.height, image.data.length]).toEqual([64, 128, 64 * 128 * 4]);
    expect(trajectory).toHaveLength(REQUEST.steps + 1);
    for (const z of trajectory) expect(z.dims).toEqual([1, 4, 16, 8]);
    // Z_0 is the seeded noise itself (DDIM's initial sigma is 1).
    expect(Array.from(trajectory[0].data)).toEqual(Array.from(gaussianNoise([1, 4, 16, 8], REQUEST.seed).data));
  });

  it('runs one batched UNet call per step with guidance, and one without it', async () => {
    tiny.resetCounts();
    await generateTrajectory(tiny.model, REQUEST, { ctx: recordingContext() });
    expect(tiny.unetCalls()).toBe(REQUEST.steps);
    tiny.resetCounts();
    await generateTrajectory(tiny.model, { ...REQUEST, guidance: 1 }, { ctx: recordingContext() });
    expect(tiny.unetCalls()).toBe(REQUEST.steps);
  });

  it('lets the negative prompt change the result when guidance is on', async () => {
    const a = await generate(tiny.model, REQUEST, { ctx: recordingContext() });
    const b = await generate(tiny.model, { ...REQUEST, negativePrompt: 'a green boat' }, { ctx: recordingContext() });
    expect(Buffer.from(a.image.data).equals(Buffer.from(b.image.data))).toBe(false);
  });

  it.each(SCHEDULER_KINDS)('generates a finite, seed-deterministic trajectory with the %s scheduler', async (scheduler) => {
    const request = { ...REQUEST, scheduler };
    const [a, b] = [await generateTrajectory(tiny.model, request, { ctx: recordingContext() }), await generateTrajectory(tiny.model, request, { ctx: recordingContext() })];
    const last = a[a.length - 1].data;
    expect(last.every(Number.isFinite)).toBe(true);
    expect(Array.from(last)).toEqual(Array.from(b[b.length - 1].data));
  });

  it('reports progress once per step in order, with previews at the requested interval', async () => {
    const ctx = recordingContext();
    await generate(tiny.model, { ...REQUEST, previewEvery: 2 }, { ctx, preview: (x0) => ({ width: x0.dims[3], height: x0.dims[2], data: new Uint8Array(x0.dims[2] * x0.dims[3] * 4) }) });
    const denoising = ctx.events.filter((e) => e.phase === 'denoise');
    expect(denoising.map((e) => e.step)).toEqual([1, 2, 3, 4]);
    expect(denoising.map((e) => e.preview !== undefined)).toEqual([false, true, false, true]);
    expect(denoising[1].preview).toMatchObject({ width: 8, height: 8 });
    expect(ctx.events.at(-1)).toMatchObject({ phase: 'decode', step: 1, total: 1 });
  });

  it('stops at the next step once cancelled, without further UNet calls', async () => {
    let steps = 0;
    const ctx = {
      progress: () => void steps++,
      throwIfCancelled: () => {
        if (steps >= 2) throw new JobCancelledError();
      },
    };
    tiny.resetCounts();
    await expect(generate(tiny.model, REQUEST, { ctx })).rejects.toBeInstanceOf(JobCancelledError);
    expect(tiny.unetCalls()).toBe(2);
  });

  it.each([
    ['width', { width: 60 }, /width must be a multiple of 16 from 16 to 4096 for this model; got 60 \(try 64\)/],
    ['height', { height: 72 }, /height must be a multiple of 16 .*got 72 \(try 80\)/],
    ['steps', { steps: 0 }, /steps must be a whole number from 1/],
    ['guidance', { guidance: Number.NaN }, /guidance must be a number/],
    ['scheduler', { scheduler: 'pndm' as never }, /scheduler must be one of ddim, euler/],
    ['seed', { seed: -3 }, /seed must be a whole number/],
  ])('refuses a bad %s before running anything', async (field, change, message) => {
    tiny.resetCounts();
    const error = await generate(tiny.model, { ...REQUEST, ...change }, { ctx: recordingContext() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ field, message: expect.stringMatching(message) });
    expect(tiny.unetCalls()).toBe(0);
  });
});
