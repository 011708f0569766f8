import {
  decodeFrame,
  encodeFrame,
  FRAME_HEADER_BYTES,
  MAX_FRAME_BYTES,
  MAX_IMAGE_SIDE,
  type FrameHeader,
} from '../../companion-server/protocol';

const header: FrameHeader = { kind: 'upload', format: 'rgba8', requestId: 7, imageId: 3, width: 3, height: 2 };
const pixels = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => i);

describe('binary frames', () => {
  it('round-trip header fields and pixels', () => {
    const decoded = decodeFrame(encodeFrame(header, pixels));
    expect(decoded).toEqual({ ok: true, frame: { ...header, pixels } });
  });

  it('decode from an ArrayBuffer and from a view with an offset', () => {
    const bytes = encodeFrame({ ...header, format: 'gray8', kind: 'result' }, pixels.subarray(0, 6));
    expect(decodeFrame(bytes.slice().buffer)).toMatchObject({ ok: true, frame: { kind: 'result', format: 'gray8' } });
    const padded = new Uint8Array(bytes.byteLength + 5);
    padded.set(bytes, 5);
    expect(decodeFrame(padded.subarray(5))).toMatchObject({ ok: true, frame: { requestId: 7, imageId: 3 } });
  });

  it('store ids as unsigned 32-bit little-endian integers', () => {
    const bytes = encodeFrame({ ...header, requestId: 0xffff_ffff, imageId: 0x0102_0304 }, pixels);
    expect(Array.from(bytes.subarray(8, 16))).toEqual([0xff, 0xff, 0xff, 0xff, 0x04, 0x03, 0x02, 0x01]);
  });

  it('refuse to encode pixels of the wrong length', () => {
    expect(() => encodeFrame(header, pixels.subarray(1))).toThrow(/needs 24 bytes/);
  });

  it.each([
    ['too short for a header', () => new Uint8Array(FRAME_HEADER_BYTES - 1), /header bytes/],
    ['without the magic', () => mutate(0, 0x00), /magic/],
    ['of another layout version', () => mutate(4, 9), /version 9/],
    ['of an unknown kind', () => mutate(5, 0), /kind 0/],
    ['of an unknown format', () => mutate(6, 7), /format 7/],
    ['of zero width', () => withSize(0, 2), /outside/],
    ['wider than the limit', () => withSize(MAX_IMAGE_SIDE + 1, 1), /outside/],
    ['with missing pixels', () => encodeFrame(header, pixels).subarray(0, FRAME_HEADER_BYTES + 5), /needs 24 bytes/],
    ['with extra pixels', () => concat(encodeFrame(header, pixels), new Uint8Array(1)), /the frame has 25/],
  ])('reject a frame %s', (_name, make, problem) => {
    const decoded = decodeFrame(make());
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.problem).toMatch(problem);
  });

  it('fit a 4096x4096 RGBA crop in one frame', () => {
    const side = 4096;
    const frame = encodeFrame({ ...header, width: side, height: side }, new Uint8Array(side * side * 4));
    expect(frame.byteLength).toBeLessThanOrEqual(MAX_FRAME_BYTES);
    expect(decodeFrame(frame)).toMatchObject({ ok: true, frame: { width: side, height: side, format: 'rgba8' } });
  });
});

function mutate(offset: number, value: number): Uint8Array {
  const bytes = encodeFrame(header, pixels);
  bytes[offset] = value;
  return bytes;
}

function withSize(width: number, height: number): Uint8Array {
  const bytes = encodeFrame(header, pixels);
  const view = new DataView(bytes.buffer);
  view.setUint32(16, width, true);
  view.setUint32(20, height, true);
  return bytes;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}
