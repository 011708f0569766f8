import { TrajectoryCache, type SourceTrajectory } from '../../../companion-server/engine/brush/trajectory-cache';

/** A trajectory of `steps + 1` latents of 256 floats (1 KiB each) from firstStep on. */
function trajectory(steps: number, firstStep = 0): SourceTrajectory {
  const latents = Array.from({ length: steps + 1 }, (_, i) => (i < firstStep ? undefined : { data: new Float32Array(256), dims: [1, 4, 8, 8] }));
  return { latents, firstStep, noiseSeed: 0 };
}

describe('TrajectoryCache', () => {
  it('counts the bytes of the latents it holds', () => {
    const cache = new TrajectoryCache(1 << 20);
    cache.set('a', trajectory(3));
    cache.set('b', trajectory(3, 2));
    expect(cache.bytes).toBe(4 * 1024 + 2 * 1024);
  });

  it('counts the x0 predictions a multistep trajectory keeps', () => {
    const cache = new TrajectoryCache(1 << 20);
    const { latents } = trajectory(3);
    cache.set('a', { ...trajectory(3), predictions: latents.slice(0, 3) as SourceTrajectory['predictions'] });
    expect(cache.bytes).toBe(4 * 1024 + 3 * 1024);
  });

  it('evicts the least recently used entries once over budget', () => {
    const cache = new TrajectoryCache(8 * 1024);
    cache.set('a', trajectory(3));
    cache.set('b', trajectory(3));
    expect(cache.get('a', 0)).toBeDefined();
    cache.set('c', trajectory(3));
    expect(cache.get('b', 0)).toBeUndefined();
    expect(cache.get('a', 0)).toBeDefined();
    expect(cache.get('c', 0)).toBeDefined();
    expect(cache.bytes).toBeLessThanOrEqual(8 * 1024);
  });

  it('misses when the stored trajectory does not reach back to the step asked for', () => {
    const cache = new TrajectoryCache();
    cache.set('a', trajectory(5, 3));
    expect(cache.get('a', 3)).toBeDefined();
    expect(cache.get('a', 4)).toBeDefined();
    expect(cache.get('a', 2)).toBeUndefined();
  });

  it('does not keep a trajectory larger than the whole budget', () => {
    const cache = new TrajectoryCache(2 * 1024);
    cache.set('a', trajectory(3));
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });

  it('replaces an entry stored under the same key', () => {
    const cache = new TrajectoryCache();
    cache.set('a', trajectory(3));
    cache.set('a', trajectory(1));
    expect([cache.size, cache.bytes]).toEqual([1, 2 * 1024]);
  });
});
