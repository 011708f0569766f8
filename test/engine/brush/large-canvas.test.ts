import { TrajectoryCache } from '../../../companion-server/engine/brush/trajectory-cache';
import { planBrush, runBrush } from '../../../companion-server/engine/brush/run-brush';
import { validateBrushRequest } from '../../../companion-server/engine/brush/validate';
import { Bounds, planEdit } from '../../../companion-server/engine/geometry';
import { cropPixels, resizeRgba } from '../../../companion-server/engine/image';
import type { BrushRequest, RgbaImage } from '../../../companion-server/engine/jobs';
import type { Tensor } from '../../../companion-server/engine/tensor';
import { brushRequest, loadCountingModel, maxAbsDiff, recordingContext, rectMask, type CountingModel } from './tiny-brush';

const WIDTH = 1600;
const HEIGHT = 1200;
let tiny: CountingModel;
let canvas: RgbaImage;

beforeAll(async () => {
  tiny = await loadCountingModel();
  const data = new Uint8Array(WIDTH * HEIGHT * 4);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) data.set([(x * 255) / WIDTH, (y * 255) / HEIGHT, 128 + 100 * Math.sin(x / 90 + y / 70), 255], (y * WIDTH + x) * 4);
  }
  canvas = { width: WIDTH, height: HEIGHT, data };
});
afterAll(() => tiny.model.release());

const selection = { left: 1100, top: 700, width: 60, height: 40 };
const request = (source: RgbaImage, overrides: Partial<BrushRequest> = {}): BrushRequest =>
  brushRequest(source, [{ mask: rectMask(source.width, source.height, selection), step: 2, strength: 1, seed: 3 }], {
    trajectory: { kind: 'noise', seed: 1 },
    featherPixels: 4,
    ...overrides,
  });

describe('a brush edit on a large canvas', () => {
  it('processes only the context crop, places it at the crop\'s offset, and keeps every unmasked pixel', async () => {
    const full = request(canvas);
    const plan = planBrush(tiny.model, full, validateBrushRequest(full, 8).maskBounds);
    expect(plan.context.width).toBeLessThan(WIDTH / 2);
    expect(plan.processing.width).toBe(256);

    const seen = new Map<number, Tensor>();
    const result = await runBrush(tiny.model, full, { ctx: recordingContext(), cache: new TrajectoryCache(), observeLatents: (s, l) => seen.set(s, l) });
    const { image, placement, layerMask } = result.variations[0];
    expect(placement).toEqual({ left: plan.context.left, top: plan.context.top, width: plan.context.width, height: plan.context.height });
    expect([image.width, image.height]).toEqual([placement.width, placement.height]);
    expect(seen.get(2)!.dims).toEqual([1, 4, plan.latent.height, plan.latent.width]);

    const sourceCrop = cropPixels(canvas, placement, 4);
    let changed = 0;
    let changedOutside = 0;
    for (let p = 0; p < layerMask.data.length; p++) {
      const same = [0, 1, 2, 3].every((c) => image.data[p * 4 + c] === sourceCrop.data[p * 4 + c]);
      if (layerMask.data[p] === 0) changedOutside += same ? 0 : 1;
      else changed += same ? 0 : 1;
    }
    expect(changedOutside).toBe(0);
    expect(changed).toBeGreaterThan(selection.width * selection.height * 0.5);
    // The layer mask sits where the selection was drawn, in crop pixels.
    const x = selection.left - placement.left;
    const y = selection.top - placement.top;
    expect(layerMask.data[y * placement.width + x]).toBe(255);
    expect(layerMask.data[(y - 1) * placement.width + x]).toBe(0);
  });

  it('gives the same result from only the crop the panel would read (sourceOrigin + canvasSize)', async () => {
    const full = request(canvas);
    const plan = planBrush(tiny.model, full, validateBrushRequest(full, 8).maskBounds);
    const cropOnly = request(cropPixels(canvas, plan.context, 4), {
      sourceOrigin: { left: plan.context.left, top: plan.context.top },
      canvasSize: { width: WIDTH, height: HEIGHT },
    });
    cropOnly.masks[0].mask = cropPixels(full.masks[0].mask, plan.context, 1);
    const [a, b] = await Promise.all([
      runBrush(tiny.model, full, { ctx: recordingContext(), cache: new TrajectoryCache() }),
      runBrush(tiny.model, cropOnly, { ctx: recordingContext(), cache: new TrajectoryCache() }),
    ]);
    expect(b.variations[0].placement).toEqual(a.variations[0].placement);
    expect(b.variations[0].image.data).toEqual(a.variations[0].image.data);
  });

  it('reuses an inverted trajectory for another mask inside the previous crop, as the panel plans it', async () => {
    const cache = new TrajectoryCache();
    const model = { nativeSize: tiny.model.nativeSize, vaeScaleFactor: tiny.model.vaeScaleFactor };
    // What the panel does: plan on the canvas (keeping the last crop while it covers the selection),
    // read that crop, and send it whole.
    const editThrough = async (drawn: typeof selection, previousContext?: Bounds) => {
      const plan = planEdit({ canvas: canvas, selection: drawn, context: { kind: 'auto' }, model, previousContext });
      const crop = cropPixels(canvas, plan.context, 4);
      const mask = rectMask(crop.width, crop.height, Bounds.from(drawn).relativeTo(plan.context));
      tiny.resetCounts();
      await runBrush(
        tiny.model,
        brushRequest(crop, [{ mask, step: 3, strength: 1, seed: 3 }], {
          trajectory: { kind: 'invert' },
          context: { kind: 'whole-image' },
          sourceOrigin: { left: plan.context.left, top: plan.context.top },
          canvasSize: { width: WIDTH, height: HEIGHT },
        }),
        { ctx: recordingContext(), cache },
      );
      return { context: plan.context, calls: tiny.unetCalls() };
    };
    const first = await editThrough(selection);
    expect(first.calls).toBe(2 * (6 - 3));
    const second = await editThrough({ left: selection.left + 30, top: selection.top - 20, width: 20, height: 20 }, first.context);
    expect(second.context.equals(first.context)).toBe(true);
    expect(second.calls).toBe(6 - 3);
  });

  it('scales the crop to the processing size and back with small error on smooth content', async () => {
    const crop = cropPixels(canvas, { left: 1000, top: 600, width: 300, height: 260 }, 4);
    const there = await resizeRgba(crop, 256, 192);
    const back = await resizeRgba(there, crop.width, crop.height);
    expect(maxAbsDiff(back.data, crop.data)).toBeLessThanOrEqual(3);
  });
});
