import { combinePromptRows, injectNoise, keepSourceOutside } from '../../../companion-server/engine/brush/latent-ops';
import { repeatEachRow } from '../../../companion-server/engine/tensor';
import type { MaskPlane } from '../../../companion-server/engine/image';
import type { Tensor } from '../../../companion-server/engine/tensor';

const t = (values: number[], dims: number[]): Tensor => ({ data: Float32Array.from(values), dims });
const mask = (values: number[]): MaskPlane => ({ width: values.length, height: 1, data: Float32Array.from(values) });

describe('injectNoise', () => {
  // One row, two channels, a 1x3 latent: mask outside, soft, inside.
  const latents = t([1, 1, 1, 2, 2, 2], [1, 2, 1, 3]);
  const noise = t([10, 10, 10, 20, 20, 20], [1, 2, 1, 3]);
  const m = mask([0, 0.5, 1]);

  it('adds alpha * eps * m (the paper\'s formula)', () => {
    expect(Array.from(injectNoise(latents, noise, m, 0.5, 'additive', 1).data)).toEqual([1, 3.5, 6, 2, 7, 12]);
  });

  it('replaces the masked latent with noise at strength 1 in the variance-preserving mode', () => {
    const out = injectNoise(latents, noise, m, 1, 'variance-preserving', 1);
    expect(Array.from(out.data)).toEqual([1, 5.5, 10, 2, 11, 20]);
  });

  it('keeps the latent\'s variance at full coverage in the variance-preserving mode', () => {
    const a = 0.6;
    const out = injectNoise(t([1], [1, 1, 1, 1]), t([1], [1, 1, 1, 1]), mask([1]), a, 'variance-preserving', 1);
    expect(out.data[0]).toBeCloseTo(Math.sqrt(1 - a * a) + a);
  });

  it('scales the noise to the scheduler\'s sample scale', () => {
    expect(injectNoise(t([0], [1, 1, 1, 1]), t([1], [1, 1, 1, 1]), mask([1]), 1, 'additive', 3).data[0]).toBe(3);
  });

  it('leaves strength 0 and unmasked cells untouched', () => {
    expect(injectNoise(latents, noise, m, 0, 'additive', 1).data).toEqual(latents.data);
    expect(injectNoise(latents, noise, m, 0, 'variance-preserving', 1).data).toEqual(latents.data);
  });
});

describe('keepSourceOutside', () => {
  it('blends every row with the source by the mask', () => {
    const rows = t([4, 4, 4, 8, 8, 8], [2, 1, 1, 3]);
    const source = t([0, 0, 0], [1, 1, 1, 3]);
    expect(Array.from(keepSourceOutside(rows, source, mask([0, 0.5, 1])).data)).toEqual([0, 2, 4, 0, 4, 8]);
  });
});

describe('prompt rows', () => {
  it('repeats each row in place and combines groups back with per-pixel weights', () => {
    const rows = t([1, 2, 3, 4], [2, 1, 1, 2]);
    const repeated = repeatEachRow(rows, 2);
    expect(Array.from(repeated.data)).toEqual([1, 2, 1, 2, 3, 4, 3, 4]);
    const distinct = t([1, 1, 5, 5, 2, 2, 6, 6], [4, 1, 1, 2]);
    const combined = combinePromptRows(distinct, [mask([1, 0.25]), mask([0, 0.75])]);
    expect(Array.from(combined.data)).toEqual([1, 4, 2, 5]);
  });
});
