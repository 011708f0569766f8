import { TrajectoryCache } from '../../../companion-server/engine/brush/trajectory-cache';
import { runBrush } from '../../../companion-server/engine/brush/run-brush';
import { generateTrajectory } from '../../../companion-server/engine/pipeline/generate';
import { decodeLatents } from '../../../companion-server/engine/pipeline/vae';
import { compositeThroughMask } from '../../../companion-server/engine/image';
import { latentRgbFor } from '../../../companion-server/engine/preview';
import type { BrushRequest, RgbaImage } from '../../../companion-server/engine/jobs';
import type { Tensor } from '../../../companion-server/engine/tensor';
import {
  GENERATION,
  brushRequest,
  generatedSource,
  loadCountingModel,
  maxAbsDiff,
  recordingContext,
  rectMask,
  type CountingModel,
} from './tiny-brush';

const N = GENERATION.steps;
let tiny: CountingModel;
let source: RgbaImage;
let trajectory: Tensor[];

beforeAll(async () => {
  tiny = await loadCountingModel();
  source = await generatedSource(tiny.model);
  trajectory = await generateTrajectory(tiny.model, GENERATION, { ctx: recordingContext() });
});
afterAll(() => tiny.model.release());

const square = () => rectMask(64, 64, { left: 16, top: 16, width: 24, height: 24 });

/** Latent cells (8x8 grid) whose 8x8 pixel block the mask does not touch. */
function cellsOutside(mask: { data: Uint8Array }): number[] {
  const cells: number[] = [];
  for (let cy = 0; cy < 8; cy++) {
    for (let cx = 0; cx < 8; cx++) {
      let touched = false;
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) touched ||= mask.data[(cy * 8 + y) * 64 + cx * 8 + x] > 0;
      if (!touched) cells.push(cy * 8 + cx);
    }
  }
  return cells;
}

function cellValues(latents: Tensor, cells: number[], row = 0): number[] {
  const [, channels, h, w] = latents.dims;
  const base = row * channels * h * w;
  return Array.from({ length: channels }, (_, c) => cells.map((cell) => latents.data[base + c * h * w + cell])).flat();
}

describe('runBrush on the tiny model', () => {
  it('with strength 0 returns the source trajectory\'s own decode', async () => {
    const mask = square();
    const result = await runBrush(tiny.model, brushRequest(source, [{ mask, step: 2, strength: 0, seed: 1 }]), {
      ctx: recordingContext(),
      cache: new TrajectoryCache(),
    });
    const [own] = await decodeLatents(tiny.model, trajectory[N]);
    expect(maxAbsDiff(result.variations[0].image.data, own.data)).toBeLessThanOrEqual(1);
  });

  it('keeps the latents outside the mask on the source trajectory at every step up to the merge', async () => {
    const mask = square();
    const seen = new Map<number, Tensor>();
    await runBrush(tiny.model, brushRequest(source, [{ mask, step: 1, strength: 1, seed: 3 }], { variations: 2 }), {
      ctx: recordingContext(),
      cache: new TrajectoryCache(),
      observeLatents: (step, latents) => seen.set(step, latents),
    });
    const outside = cellsOutside(mask);
    expect(outside.length).toBeGreaterThan(20);
    for (let step = 1; step <= N - 2; step++) {
      for (const row of [0, 1]) expect(cellValues(seen.get(step)!, outside, row)).toEqual(cellValues(trajectory[step], outside));
    }
    // Inside, the region was re-noised, and the smoothing steps after the merge run on the whole latent.
    expect(maxAbsDiff(seen.get(N - 2)!.data.subarray(0, trajectory[N - 2].data.length), trajectory[N - 2].data)).toBeGreaterThan(0.01);
  });

  it('leaves every composited pixel outside the mask exactly as in the source, and changes the inside', async () => {
    const mask = square();
    const result = await runBrush(tiny.model, brushRequest(source, [{ mask, step: 1, strength: 1, seed: 3 }]), {
      ctx: recordingContext(),
      cache: new TrajectoryCache(),
    });
    const { image, placement, layerMask } = result.variations[0];
    expect(placement).toEqual({ left: 0, top: 0, width: 64, height: 64 });
    const composite = compositeThroughMask(source, image, layerMask);
    let changedInside = 0;
    for (let p = 0; p < 64 * 64; p++) {
      const same = [0, 1, 2, 3].every((c) => composite.data[p * 4 + c] === source.data[p * 4 + c]);
      if (mask.data[p] === 0) expect(same).toBe(true);
      else if (!same) changedInside++;
    }
    expect(changedInside).toBeGreaterThan(24 * 24 * 0.5);
  });

  it('is deterministic per seed, gives different pixels inside the mask for different seeds, and returns variations in seed order', async () => {
    const mask = square();
    const run = (seed: number, variations = 1) =>
      runBrush(tiny.model, brushRequest(source, [{ mask, step: 1, strength: 1, seed }], { variations }), { ctx: recordingContext(), cache: new TrajectoryCache() });
    const [a, b, c, batch] = await Promise.all([run(10), run(10), run(11), run(10, 2)]);
    expect(a.variations[0].image.data).toEqual(b.variations[0].image.data);
    expect(maxAbsDiff(a.variations[0].image.data, c.variations[0].image.data)).toBeGreaterThan(10);
    expect(batch.variations.map((v) => v.index)).toEqual([0, 1]);
    // Variation 1 of seed 10 is seed 11 (within batch numerics).
    expect(maxAbsDiff(batch.variations[1].image.data, c.variations[0].image.data)).toBeLessThanOrEqual(2);
  });

  it('gives an intermediate latent in a feathered mask\'s soft band at the merge', async () => {
    const mask = rectMask(64, 64, { left: 24, top: 24, width: 16, height: 16 });
    const seen = new Map<number, Tensor>();
    await runBrush(tiny.model, brushRequest(source, [{ mask, step: 1, strength: 1, seed: 5 }], { featherPixels: 12 }), {
      ctx: recordingContext(),
      cache: new TrajectoryCache(),
      observeLatents: (step, latents) => seen.set(step, latents),
    });
    const merged = seen.get(N - 2)!;
    const core = [3 * 8 + 3, 3 * 8 + 4, 4 * 8 + 3, 4 * 8 + 4];
    const band = [1 * 8 + 3, 1 * 8 + 4, 6 * 8 + 3, 6 * 8 + 4, 3 * 8 + 1, 4 * 8 + 6];
    const change = (cells: number[]) => {
      const edited = cellValues(merged, cells);
      const original = cellValues(trajectory[N - 2], cells);
      return edited.reduce((s, v, i) => s + Math.abs(v - original[i]), 0) / edited.length;
    };
    expect(change(band)).toBeGreaterThan(0);
    expect(change(band)).toBeLessThan(change(core));
  });

  it('injects several masks at their own steps: a later mask\'s region follows the source until its step', async () => {
    const early = rectMask(64, 64, { left: 0, top: 0, width: 16, height: 16 });
    const late = rectMask(64, 64, { left: 40, top: 40, width: 24, height: 24 });
    const seen = new Map<number, Tensor>();
    await runBrush(
      tiny.model,
      brushRequest(source, [
        { mask: early, step: 1, strength: 1, seed: 1 },
        { mask: late, step: 3, strength: 1, seed: 2 },
      ]),
      { ctx: recordingContext(), cache: new TrajectoryCache(), observeLatents: (step, latents) => seen.set(step, latents) },
    );
    const earlyCells = [0, 1, 8, 9];
    const lateCells = [6 * 8 + 6, 6 * 8 + 7, 7 * 8 + 6, 7 * 8 + 7];
    expect(cellValues(seen.get(2)!, lateCells)).toEqual(cellValues(trajectory[2], lateCells));
    expect(maxAbsDiff(cellValues(seen.get(2)!, earlyCells), cellValues(trajectory[2], earlyCells))).toBeGreaterThan(0.01);
    expect(maxAbsDiff(cellValues(seen.get(3)!, lateCells), cellValues(trajectory[3], lateCells))).toBeGreaterThan(0.01);
  });

  it('lets the later mask win where masks overlap: a later strength-0 mask over an earlier one leaves the region as it was', async () => {
    const mask = square();
    const result = await runBrush(
      tiny.model,
      brushRequest(source, [
        { mask, step: 1, strength: 1, seed: 1, prompt: 'a red boat' },
        { mask, step: 3, strength: 0, seed: 2 },
      ]),
      { ctx: recordingContext(), cache: new TrajectoryCache() },
    );
    const [own] = await decodeLatents(tiny.model, trajectory[N]);
    expect(maxAbsDiff(result.variations[0].image.data, own.data)).toBeLessThanOrEqual(1);
  });

  it('combines per-mask prompts per region: a whole-image mask with its own prompt equals that prompt as the base', async () => {
    const whole = rectMask(64, 64, { left: 0, top: 0, width: 64, height: 64 });
    const run = (maskPrompt: string | undefined, prompt = GENERATION.prompt) =>
      runBrush(tiny.model, brushRequest(source, [{ mask: whole, step: 2, strength: 0.5, seed: 4, prompt: maskPrompt }], { prompt }), {
        ctx: recordingContext(),
        cache: new TrajectoryCache(),
      });
    const [regional, asBase, plain, blank] = await Promise.all([run('a red boat'), run(undefined, 'a red boat'), run(undefined), run('  ')]);
    expect(maxAbsDiff(regional.variations[0].image.data, asBase.variations[0].image.data)).toBeLessThanOrEqual(1);
    expect(maxAbsDiff(regional.variations[0].image.data, plain.variations[0].image.data)).toBeGreaterThan(1);
    // A blank per-mask prompt (an empty field in the panel) means the base prompt.
    expect(blank.variations[0].image.data).toEqual(plain.variations[0].image.data);
  });

  it('a per-mask prompt changes only its own region when another mask uses the base prompt', async () => {
    const left = rectMask(64, 64, { left: 0, top: 0, width: 24, height: 64 });
    const right = rectMask(64, 64, { left: 40, top: 0, width: 24, height: 64 });
    const run = (rightPrompt?: string) =>
      runBrush(
        tiny.model,
        brushRequest(source, [
          { mask: left, step: 2, strength: 1, seed: 8 },
          { mask: right, step: 2, strength: 1, seed: 9, prompt: rightPrompt },
        ]),
        { ctx: recordingContext(), cache: new TrajectoryCache() },
      );
    const [withPrompt, without] = await Promise.all([run('a red boat'), run()]);
    const differs = (x0: number, x1: number) => {
      let max = 0;
      for (let y = 0; y < 64; y++) for (let x = x0; x < x1; x++) for (let c = 0; c < 3; c++) {
        const i = (y * 64 + x) * 4 + c;
        max = Math.max(max, Math.abs(withPrompt.variations[0].image.data[i] - without.variations[0].image.data[i]));
      }
      return max;
    };
    expect(differs(40, 64)).toBeGreaterThan(differs(0, 24));
  });

  it('makes exactly N - n UNet calls for a second edit on a cached source', async () => {
    const cache = new TrajectoryCache();
    const mask = square();
    tiny.resetCounts();
    await runBrush(tiny.model, brushRequest(source, [{ mask, step: 2, strength: 1, seed: 1 }]), { ctx: recordingContext(), cache });
    expect(tiny.unetCalls()).toBe(N + (N - 2));
    tiny.resetCounts();
    await runBrush(tiny.model, brushRequest(source, [{ mask: rectMask(64, 64, { left: 0, top: 0, width: 8, height: 8 }), step: 3, strength: 0.7, seed: 99 }]), {
      ctx: recordingContext(),
      cache,
    });
    expect(tiny.unetCalls()).toBe(N - 3);
  });

  it('caches inverted trajectories and re-inverts only when an earlier step is asked for', async () => {
    const cache = new TrajectoryCache();
    const mask = square();
    const edit = (step: number) =>
      runBrush(tiny.model, brushRequest(source, [{ mask, step, strength: 1, seed: 1 }], { trajectory: { kind: 'invert' }, context: { kind: 'whole-image' } }), {
        ctx: recordingContext(),
        cache,
      });
    tiny.resetCounts();
    await edit(3);
    expect(tiny.unetCalls()).toBe(2 * (N - 3));
    tiny.resetCounts();
    await edit(3);
    expect(tiny.unetCalls()).toBe(N - 3);
    tiny.resetCounts();
    await edit(1);
    expect(tiny.unetCalls()).toBe(2 * (N - 1));
  });

  it('reuses an inverted trajectory when only the negative prompt or guidance changes, and re-inverts for another prompt', async () => {
    const cache = new TrajectoryCache();
    const mask = square();
    const edit = (overrides: Partial<BrushRequest>) =>
      runBrush(tiny.model, brushRequest(source, [{ mask, step: 3, strength: 1, seed: 1 }], { trajectory: { kind: 'invert' }, context: { kind: 'whole-image' }, ...overrides }), {
        ctx: recordingContext(),
        cache,
      });
    await edit({});
    tiny.resetCounts();
    await edit({ negativePrompt: 'blurry', guidance: 2 });
    expect(tiny.unetCalls()).toBe(N - 3);
    tiny.resetCounts();
    await edit({ prompt: 'a stormy sea' });
    expect(tiny.unetCalls()).toBe(2 * (N - 3));
  });

  it.each(['euler', 'euler-ancestral', 'dpm++2m', 'lcm'] as const)('runs with the %s scheduler and keeps the outside on the source', async (scheduler) => {
    const generation = { ...GENERATION, scheduler };
    const own = await generateTrajectory(tiny.model, generation, { ctx: recordingContext() });
    const mask = square();
    const seen = new Map<number, Tensor>();
    const result = await runBrush(
      tiny.model,
      brushRequest(source, [{ mask, step: 2, strength: 1, seed: 3 }], { scheduler, trajectory: { kind: 'generated', generation }, noiseMode: 'variance-preserving' }),
      { ctx: recordingContext(), cache: new TrajectoryCache(), observeLatents: (step, latents) => seen.set(step, latents) },
    );
    const outside = cellsOutside(mask);
    expect(cellValues(seen.get(N - 2)!, outside)).toEqual(cellValues(own[N - 2], outside));
    expect(maxAbsDiff(cellValues(seen.get(N - 2)!, [3 * 8 + 3]), cellValues(own[N - 2], [3 * 8 + 3]))).toBeGreaterThan(0.01);
    expect(result.variations[0].image.data.every(Number.isFinite)).toBe(true);
  });

  it.each(['euler-ancestral', 'dpm++2m'] as const)(
    'with strength 0 reproduces the %s source: per-step noise comes from the source seed, multistep history from the source run',
    async (scheduler) => {
      const generation = { ...GENERATION, scheduler };
      const generated = await generateTrajectory(tiny.model, generation, { ctx: recordingContext() });
      const [own] = await decodeLatents(tiny.model, generated[N]);
      const result = await runBrush(
        tiny.model,
        brushRequest(own, [{ mask: square(), step: 2, strength: 0, seed: 5 }], { scheduler, trajectory: { kind: 'generated', generation }, variations: 2 }),
        { ctx: recordingContext(), cache: new TrajectoryCache() },
      );
      for (const variation of result.variations) expect(maxAbsDiff(variation.image.data, own.data)).toBeLessThanOrEqual(1);
    },
  );

  it('streams small latent previews every k steps when given coefficients', async () => {
    const ctx = recordingContext();
    await runBrush(tiny.model, brushRequest(source, [{ mask: square(), step: 1, strength: 1, seed: 1 }], { previewEvery: 2 }), {
      ctx,
      cache: new TrajectoryCache(),
      previewCoefficients: await latentRgbFor(tiny.model),
    });
    const previews = ctx.events.filter((e) => e.phase === 'denoise' && e.preview && e.step > 1);
    expect(previews.map((e) => e.step)).toEqual([2, 4, 6]);
    expect([previews[0].preview!.width, previews[0].preview!.height]).toEqual([8, 8]);
  });

  it('reports progress per regeneration step and stops when cancelled', async () => {
    const cache = new TrajectoryCache();
    await runBrush(tiny.model, brushRequest(source, [{ mask: square(), step: 2, strength: 1, seed: 1 }]), { ctx: recordingContext(), cache });
    const ctx = recordingContext();
    await runBrush(tiny.model, brushRequest(source, [{ mask: square(), step: 2, strength: 1, seed: 2 }]), { ctx, cache });
    expect(ctx.events.filter((e) => e.phase === 'denoise').map((e) => e.step)).toEqual([3, 4, 5, 6]);
    expect(ctx.events.at(-1)).toEqual({ phase: 'decode', step: 1, total: 1 });
    let checks = 0;
    const cancelling = {
      progress: () => undefined,
      throwIfCancelled: () => {
        if (++checks > 3) throw new Error('cancelled');
      },
    };
    await expect(runBrush(tiny.model, brushRequest(source, [{ mask: square(), step: 2, strength: 1, seed: 1 }]), { ctx: cancelling, cache: new TrajectoryCache() })).rejects.toThrow('cancelled');
  });
});
