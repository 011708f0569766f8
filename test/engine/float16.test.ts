import { float16ToFloat32, float32ToFloat16, fromFloat16Bits, toFloat16Bits } from '../../companion-server/engine/float16';

describe('float16 conversion', () => {
  test.each([
    ['one', 1, 0x3c00],
    ['minus two', -2, 0xc000],
    ['the largest half', 65504, 0x7bff],
    ['a value past the largest half, which overflows to infinity', 65520, 0x7c00],
    ['the smallest subnormal', 2 ** -24, 0x0001],
    ['half the smallest subnormal, a tie that rounds to even zero', 2 ** -25, 0x0000],
    ['three quarters of the smallest subnormal, which rounds up', 3 * 2 ** -26, 0x0001],
    ['a tie just above one, rounding to even', 1 + 2 ** -11, 0x3c00],
    ['a tie rounding up to even', 1 + 3 * 2 ** -11, 0x3c02],
    ['the smallest normal', 2 ** -14, 0x0400],
    ['negative zero', -0, 0x8000],
    ['infinity', Infinity, 0x7c00],
  ])('encodes %s', (_name, value, bits) => {
    expect(toFloat16Bits(value)).toBe(bits);
  });

  test('encodes NaN as a quiet NaN', () => {
    expect(toFloat16Bits(NaN) & 0x7e00).toBe(0x7e00);
    expect(fromFloat16Bits(0x7e00)).toBeNaN();
  });

  test('every finite half survives a round trip through float32', () => {
    const patterns = Uint16Array.from({ length: 0x10000 }, (_, i) => i).filter((bits) => (bits & 0x7c00) !== 0x7c00);
    const decoded = float16ToFloat32(patterns);
    expect(Array.from(float32ToFloat16(decoded))).toEqual(Array.from(patterns));
  });

  test('decodes to the exact values', () => {
    expect(Array.from(float16ToFloat32(Uint16Array.of(0x3c00, 0xc000, 0x3555, 0x0001)))).toEqual([1, -2, 0.333251953125, 2 ** -24]);
  });
});
