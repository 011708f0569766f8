import { fromEightBit, toEightBit } from '../../plugin/imaging/depth';
import { placeGray, toRgba, shrinkGray } from '../../plugin/imaging/pixels';
import { brushGroupName, variationLayerName } from '../../plugin/edit-names';
import { jobFraction, progressLabel } from '../../plugin/progress';

describe('bit depths', () => {
  it.each([
    ['16-bit white (32768) is 255', new Uint16Array([0, 16384, 32768]), 16 as const, [0, 128, 255]],
    ['32-bit floats clamp to 0..255', new Float32Array([-0.5, 0.5, 1.5]), 32 as const, [0, 128, 255]],
    ['8-bit passes through', new Uint8Array([0, 7, 255]), 8 as const, [0, 7, 255]],
  ])('%s', (_name, data, size, expected) => {
    expect([...toEightBit(data, size)]).toEqual(expected);
  });

  it('8-bit to 16-bit and back is lossless', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(toEightBit(fromEightBit(all, 16), 16)).toEqual(all);
  });
});

describe('pixel layouts', () => {
  it('places a mask into a larger grid, unselected (0) elsewhere, clipping what falls outside', () => {
    const mask = { width: 2, height: 2, data: Uint8Array.from([1, 2, 3, 4]) };
    const placed = placeGray(mask, { left: 3, top: 1, width: 2, height: 2 }, { left: 2, top: 1, width: 2, height: 3 });
    expect([...placed.data]).toEqual([0, 1, 0, 3, 0, 0]);
  });

  it('adds opaque alpha to RGB and refuses other layouts with the fix', () => {
    expect([...toRgba(Uint8Array.from([1, 2, 3]), 1, 1, 3).data]).toEqual([1, 2, 3, 255]);
    expect(() => toRgba(new Uint8Array(4), 1, 1, 1)).toThrow(/Image > Mode > RGB Color/);
  });

  it('shrinks thumbnails to the longest side asked for', () => {
    const thumb = shrinkGray({ width: 400, height: 100, data: new Uint8Array(40000) }, 64);
    expect([thumb.width, thumb.height]).toEqual([64, 16]);
  });
});

describe('names of what an edit writes', () => {
  it('names each variation with the seeds, steps and strengths that reproduce it', () => {
    const masks = [{ step: 5, strength: 0.8, seed: 42 }, { step: 9, strength: 0.333, seed: 7 }];
    expect(variationLayerName(1, masks)).toBe('v2 · seed 43/8 · step 5/9 · strength 0.8/0.33');
    expect(brushGroupName('  a   red door ', 1)).toBe('Brush "a red door"');
    expect(brushGroupName('', 2)).toBe('Brush · 2 masks');
  });
});

describe('the progress bar', () => {
  it('gives most of the bar to denoising and ends at 1', () => {
    expect(jobFraction('brush', { phase: 'denoise', step: 0, total: 10 })).toBeCloseTo(0.3);
    expect(jobFraction('generate', { phase: 'denoise', step: 5, total: 10 })).toBeCloseTo(0.475);
    expect(jobFraction('brush', { phase: 'decode', step: 1, total: 1 })).toBe(1);
  });

  it('moves forward while a brush regenerates its source, then hands over to the edit\'s steps', () => {
    expect(jobFraction('brush', { phase: 'regenerate', step: 10, total: 20 })).toBeCloseTo(0.175);
    expect(jobFraction('brush', { phase: 'regenerate', step: 20, total: 20 })).toBeCloseTo(jobFraction('brush', { phase: 'denoise', step: 0, total: 20 }));
    expect(progressLabel({ phase: 'regenerate', step: 3, total: 20 })).toBe('Regenerating the source 3/20');
  });
});
