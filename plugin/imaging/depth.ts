/**
 * Photoshop hands out pixels at the document's depth: 8-bit 0..255, 16-bit 0..32768 (not 65535),
 * 32-bit floats 0..1. The engine and the protocol work in 8-bit; these conversions are the only place
 * that knows the ranges.
 */
export type ComponentSize = 8 | 16 | 32;

/** Photoshop's 16-bit white: 2^15, so that 8-bit to 16-bit scaling is exact at the ends. */
export const SIXTEEN_BIT_WHITE = 32768;

export function toEightBit(data: Uint8Array | Uint16Array | Float32Array, componentSize: ComponentSize): Uint8Array {
  if (componentSize === 8) return data instanceof Uint8Array ? data : Uint8Array.from(data);
  const out = new Uint8Array(data.length);
  const scale = componentSize === 16 ? 255 / SIXTEEN_BIT_WHITE : 255;
  for (let i = 0; i < data.length; i++) {
    const v = Math.round(data[i] * scale);
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return out;
}

/** 8-bit data at a document's depth, for putPixels/putLayerMask into that document. */
export function fromEightBit(data: Uint8Array, componentSize: ComponentSize): Uint8Array | Uint16Array | Float32Array {
  if (componentSize === 8) return data;
  if (componentSize === 16) {
    const out = new Uint16Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = Math.round((data[i] * SIXTEEN_BIT_WHITE) / 255);
    return out;
  }
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i] / 255;
  return out;
}
