import { generate } from '../../../companion-server/engine/pipeline/generate';
import { denoise } from '../../../companion-server/engine/pipeline/denoise';
import { encodeConditioning } from '../../../companion-server/engine/pipeline/conditioning';
import { ddimInvert } from '../../../companion-server/engine/pipeline/invert';
import { decodeLatents, encodeImages } from '../../../companion-server/engine/pipeline/vae';
import { createScheduler } from '../../../companion-server/engine/schedulers';
import type { Tensor } from '../../../companion-server/engine/tensor';
import { gaussianNoise } from '../../../companion-server/engine/random';
import { loadCountingModel, recordingContext, type CountingModel } from '../../support/tiny-model';

let tiny: CountingModel;
beforeAll(async () => {
  tiny = await loadCountingModel();
});
afterAll(() => tiny.model.release());

function rms(t: Tensor): number {
  return Math.sqrt(t.data.reduce((s, v) => s + v * v, 0) / t.data.length);
}

function rmsDiff(a: Tensor, b: Tensor): number {
  return Math.sqrt(a.data.reduce((s, v, i) => s + (v - b.data[i]) ** 2, 0) / a.data.length);
}

const gradient = (width: number, height: number) => {
  const data = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) data.set([(p % width) * 4, Math.floor(p / width) * 2, 128, 255], p * 4);
  return { width, height, data };
};

describe('VAE encode and decode', () => {
  it('encodes a 64x96 image to [1, 4, 12, 8] finite latents of moderate size', async () => {
    const latents = await encodeImages(tiny.model, [gradient(64, 96)]);
    expect(latents.dims).toEqual([1, 4, 12, 8]);
    expect(latents.data.every(Number.isFinite)).toBe(true);
    expect(rms(latents)).toBeGreaterThan(0);
    expect(rms(latents)).toBeLessThan(20);
  });

  it('decodes latents to opaque 8-bit images 8x larger, one per batch row', async () => {
    const images = await decodeLatents(tiny.model, gaussianNoise([2, 4, 8, 8], 3));
    expect(images).toHaveLength(2);
    for (const image of images) {
      expect([image.width, image.height]).toEqual([64, 64]);
      expect(image.data.filter((_, i) => i % 4 === 3).every((alpha) => alpha === 255)).toBe(true);
      expect(new Set(image.data.filter((_, i) => i % 4 === 0)).size).toBeGreaterThan(1);
    }
    expect(Buffer.from(images[0].data).equals(Buffer.from(images[1].data))).toBe(false);
  });

  it('refuses sizes that are not multiples of the VAE factor, naming a size that works', async () => {
    await expect(encodeImages(tiny.model, [gradient(60, 64)])).rejects.toThrow(/multiples of 8.*e\.g\. 64x64/);
  });
});

describe('DDIM inversion', () => {
  const steps = 10;
  const prompt = 'a quiet lake';

  it('walks a clean latent back to the requested step with one UNet call per step, reporting progress', async () => {
    const { trajectory } = await generate(tiny.model, { prompt, negativePrompt: '', steps, guidance: 1, scheduler: 'ddim', seed: 5, width: 64, height: 64 }, { ctx: recordingContext() });
    const ctx = recordingContext();
    tiny.resetCounts();
    const inverted = await ddimInvert(tiny.model, trajectory[steps], { prompt, steps, untilStep: 6, ctx });
    expect(tiny.unetCalls()).toBe(4);
    expect(inverted.slice(0, 6).every((z) => z === undefined)).toBe(true);
    expect(inverted[steps]).toBe(trajectory[steps]);
    expect(ctx.events.map((e) => `${e.phase}:${e.step}/${e.total}`)).toEqual(['invert:1/4', 'invert:2/4', 'invert:3/4', 'invert:4/4']);
  });

  it('then regenerates close to the source latent', async () => {
    const { trajectory } = await generate(tiny.model, { prompt, negativePrompt: '', steps, guidance: 1, scheduler: 'ddim', seed: 5, width: 64, height: 64 }, { ctx: recordingContext() });
    const source = trajectory[steps];
    const n = 5;
    const inverted = await ddimInvert(tiny.model, source, { prompt, steps, untilStep: n, ctx: recordingContext() });
    const scheduler = createScheduler('ddim', tiny.model.schedulerConfig);
    scheduler.setTimesteps(steps);
    const conditioning = await encodeConditioning(tiny.model, prompt, '');
    const regenerated = await denoise(inverted[n]!, n, steps, {
      unet: tiny.model.unet,
      scheduler,
      conditioning,
      guidance: 1,
      noiseSeeds: [0],
      ctx: recordingContext(),
    });
    const error = rmsDiff(regenerated, source);
    // A fresh trajectory from the same step (forward-noised with other noise) lands far away; inversion retraces.
    const forwardNoised = scheduler.addNoise(source, gaussianNoise(source.dims, 99), n);
    const baseline = rmsDiff(await denoise(forwardNoised, n, steps, { unet: tiny.model.unet, scheduler, conditioning, guidance: 1, noiseSeeds: [0], ctx: recordingContext() }), source);
    expect(error).toBeLessThan(0.1 * rms(source));
    expect(error).toBeLessThan(baseline / 5);
  });
});
