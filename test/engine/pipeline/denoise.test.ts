import { stepNoise } from '../../../companion-server/engine/pipeline/denoise';
import { deriveSeed, gaussianNoise } from '../../../companion-server/engine/random';

describe('stepNoise', () => {
  it('gives each row the stream of its own seed at this step, shared by rows with one seed', () => {
    const dims = [3, 2, 2, 2];
    const noise = stepNoise([5, 9, 5], 3, dims);
    expect(noise.dims).toEqual(dims);
    const row = (b: number) => Array.from(noise.data.subarray(b * 8, (b + 1) * 8));
    expect(row(0)).toEqual(Array.from(gaussianNoise([1, 2, 2, 2], deriveSeed(5, 3)).data));
    expect(row(1)).toEqual(Array.from(gaussianNoise([1, 2, 2, 2], deriveSeed(9, 3)).data));
    expect(row(2)).toEqual(row(0));
    expect(row(1)).not.toEqual(row(0));
  });

  it('draws new noise at every step', () => {
    expect(Array.from(stepNoise([5], 4, [1, 8]).data)).not.toEqual(Array.from(stepNoise([5], 3, [1, 8]).data));
  });
});
