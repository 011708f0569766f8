/**
 * IEEE 754 half precision <-> float32. Node 20 has no Float16Array, so fp16 tensors travel as
 * Uint16Array bit patterns (what onnxruntime-node expects for 'float16').
 */

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** One float32 value to half-precision bits, rounding to nearest even (as hardware casts do). */
export function toFloat16Bits(value: number): number {
  scratch[0] = value;
  const bits = scratchBits[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    // Subnormal half: below 2^-25 everything rounds to (signed) zero.
    if (halfExponent < -10) return sign;
    return sign | roundShift(mantissa | 0x800000, 14 - halfExponent);
  }
  // A carry out of the mantissa correctly bumps the exponent (up to infinity).
  return sign | (((halfExponent << 10) | (mantissa >>> 13)) + roundingCarry(mantissa, 13));
}

function roundShift(value: number, shift: number): number {
  return (value >>> shift) + roundingCarry(value, shift);
}

/** 1 when dropping the low `shift` bits of `value` must round up (ties to even), else 0. */
function roundingCarry(value: number, shift: number): number {
  const half = 1 << (shift - 1);
  const rest = value & ((1 << shift) - 1);
  const kept = value >>> shift;
  return rest > half || (rest === half && (kept & 1) === 1) ? 1 : 0;
}

/** Half-precision bits to a number. */
export function fromFloat16Bits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa !== 0 ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

export function float32ToFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = toFloat16Bits(values[i]);
  return out;
}

/** Decoding goes through a table of all 65536 patterns: model outputs are large. */
let decodeTable: Float32Array | undefined;

export function float16ToFloat32(bits: Uint16Array): Float32Array {
  decodeTable ??= Float32Array.from({ length: 0x10000 }, (_, pattern) => fromFloat16Bits(pattern));
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = decodeTable[bits[i]];
  return out;
}
