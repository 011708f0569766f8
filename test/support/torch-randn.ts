/**
 * Test-only: torch.randn on the CPU for float32 tensors of 16 or more elements, reimplemented so our
 * tests can feed schedulers the very noise that diffusers' tests draw with torch.manual_seed.
 *
 * torch's CPU generator is a 32-bit Mersenne Twister (at::mt19937, the same sequence as std::mt19937).
 * randn fills the tensor with uniforms u = (bits & (2^24 - 1)) / 2^24, then Box-Muller transforms each
 * block of 16 in place: element j < 8 becomes r cos(theta), element j + 8 becomes r sin(theta), with
 * r = sqrt(-2 log(1 - u_j)) and theta = 2 pi u_{j+8}. When the size is not a multiple of 16, the last 16
 * elements are refilled with fresh uniforms and transformed again (ATen's normal_fill). Results match
 * torch up to the last float32 bit of log/sin/cos.
 */
import type { Tensor } from '../../companion-server/engine/tensor';
import { elementCount } from '../../companion-server/engine/tensor';

const STATE_SIZE = 624;

class Mt19937 {
  private readonly state = new Uint32Array(STATE_SIZE);
  private index = STATE_SIZE;

  constructor(seed: number) {
    this.state[0] = seed >>> 0;
    for (let i = 1; i < STATE_SIZE; i++) {
      const previous = this.state[i - 1] ^ (this.state[i - 1] >>> 30);
      this.state[i] = Math.imul(1812433253, previous) + i;
    }
  }

  nextUint32(): number {
    if (this.index >= STATE_SIZE) this.twist();
    let y = this.state[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const s = this.state;
    for (let i = 0; i < STATE_SIZE; i++) {
      const y = (s[i] & 0x80000000) | (s[(i + 1) % STATE_SIZE] & 0x7fffffff);
      s[i] = s[(i + 397) % STATE_SIZE] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }
}

const f32 = Math.fround;

/** torch.manual_seed(seed) followed by torch.randn calls on the default CPU generator. */
export class TorchGenerator {
  private readonly engine: Mt19937;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) throw new RangeError(`Seed must be a uint32; got ${seed}.`);
    this.engine = new Mt19937(seed);
  }

  /** A float32 uniform in [0, 1) with 24 random bits, as at::uniform_real_distribution<float>. */
  rand(): number {
    return (this.engine.nextUint32() & 0xffffff) / 2 ** 24;
  }

  randn(dims: readonly number[]): Tensor {
    const size = elementCount(dims);
    if (size < 16) {
      throw new Error(`torch draws tensors under 16 elements with another algorithm; this helper covers ${size} < 16 elements not at all.`);
    }
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = this.rand();
    for (let start = 0; start + 16 <= size; start += 16) boxMuller16(data, start);
    if (size % 16 !== 0) {
      const start = size - 16;
      for (let i = start; i < size; i++) data[i] = this.rand();
      boxMuller16(data, start);
    }
    return { data, dims: [...dims] };
  }
}

/** ATen's normal_fill_16 (mean 0, std 1), in float32 arithmetic. */
function boxMuller16(data: Float32Array, start: number): void {
  for (let j = start; j < start + 8; j++) {
    const u1 = f32(1 - data[j]);
    const u2 = data[j + 8];
    const radius = f32(Math.sqrt(f32(-2 * f32(Math.log(u1)))));
    const theta = f32(2 * Math.PI * u2);
    data[j] = f32(radius * f32(Math.cos(theta)));
    data[j + 8] = f32(radius * f32(Math.sin(theta)));
  }
}
