/**
 * Seeded Gaussian noise that is identical on every platform.
 *
 * Uniform bits come from xoshiro128** (32-bit integer arithmetic only, seeded through splitmix32),
 * turned into normals by the Box-Muller transform in float64 and rounded to float32. V8 ships its own
 * implementations of Math.log, Math.cos and Math.sin, so Node gives the same floats on Linux, macOS and
 * Windows and on x64 and arm64. Seeds are integers in [0, 2^53); the generator is NOT PyTorch's, so a
 * seed does not reproduce an image made by diffusers.
 */
import { Tensor, elementCount } from './tensor';

export const MAX_SEED = Number.MAX_SAFE_INTEGER;

export class GaussianRandom {
  private readonly state = new Uint32Array(4);
  private spare: number | undefined;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`Seed must be an integer from 0 to ${MAX_SEED}; got ${seed}.`);
    }
    let mix = (seed >>> 0) ^ Math.imul(Math.floor(seed / 2 ** 32), 0x9e3779b9);
    for (let i = 0; i < 4; i++) {
      mix = (mix + 0x9e3779b9) | 0;
      let z = mix;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.state[i] = z ^ (z >>> 16);
    }
    if (this.state.every((word) => word === 0)) this.state[0] = 1;
  }

  /** A uniform integer in [0, 2^32). */
  nextUint32(): number {
    const s = this.state;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A uniform float in the open interval (0, 1). */
  nextUniform(): number {
    return (this.nextUint32() + 0.5) / 2 ** 32;
  }

  /** A standard normal sample. */
  nextGaussian(): number {
    if (this.spare !== undefined) {
      const value = this.spare;
      this.spare = undefined;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(this.nextUniform()));
    const angle = 2 * Math.PI * this.nextUniform();
    this.spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  fill(out: Float32Array): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.nextGaussian();
    return out;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** N(0, I) noise of the given shape drawn from `seed`. */
export function gaussianNoise(dims: readonly number[], seed: number): Tensor {
  return { data: new GaussianRandom(seed).fill(new Float32Array(elementCount(dims))), dims: [...dims] };
}

/**
 * A seed for an independent stream derived from `seed`: stream k of seed s never equals stream k of
 * another seed or another stream of s (up to hash collisions), and stays a valid seed.
 */
export function deriveSeed(seed: number, stream: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x2545f491, 0x9e3779b1) ^ Math.imul(Math.floor(seed / 2 ** 32) + 1, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) ^ Math.imul(stream + 0x632be5ab, 0x297a2d39);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  const low = (h ^ (h >>> 15)) >>> 0;
  return low + 2 ** 32 * ((Math.imul(low, 0x27d4eb2d) ^ stream) & 0x1fffff);
}
