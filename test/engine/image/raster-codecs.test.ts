import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import {
  compositeThroughMask,
  cropPixels,
  decodeGray,
  decodeRgba,
  encodeRgba,
  formatOfPath,
  pastePixels,
  resizeRgba,
  writeImageFile,
} from '../../../companion-server/engine/image';
import type { RgbaImage } from '../../../companion-server/engine/jobs';

function gradient(width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    data.set([(p * 7) % 256, (p * 13) % 256, (p * 29) % 256, 255], p * 4);
  }
  return { width, height, data };
}

describe('crop, paste and composite', () => {
  it('pasting a crop back where it came from gives the original', () => {
    const image = gradient(20, 10);
    const rect = { left: 3, top: 2, width: 7, height: 5 };
    expect(pastePixels(image, cropPixels(image, rect, 4), rect.left, rect.top).data).toEqual(image.data);
  });

  it('refuses a crop outside the image', () => {
    expect(() => cropPixels(gradient(4, 4), { left: 2, top: 0, width: 3, height: 1 }, 4)).toThrow(/outside the 4x4 image/);
  });

  it('keeps source bytes exactly where the mask is 0, the edit where it is 255, and blends between', () => {
    const source = gradient(3, 1);
    const edited = { width: 3, height: 1, data: new Uint8Array(12).fill(200) };
    const out = compositeThroughMask(source, edited, { width: 3, height: 1, data: Uint8Array.from([0, 255, 128]) });
    expect(out.data.subarray(0, 4)).toEqual(source.data.subarray(0, 4));
    expect(Array.from(out.data.subarray(4, 7))).toEqual([200, 200, 200]);
    for (let c = 0; c < 3; c++) {
      const blended = out.data[8 + c];
      expect(blended).toBe(Math.round((200 * 128 + source.data[8 + c] * 127) / 255));
    }
  });
});

describe('codecs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'brush-codecs-'));

  it('round-trips PNG exactly and JPEG closely', async () => {
    const image = gradient(16, 8);
    expect((await decodeRgba(await encodeRgba(image, 'png'))).data).toEqual(image.data);
    const smooth: RgbaImage = { width: 16, height: 16, data: new Uint8Array(16 * 16 * 4).map((_, i) => (i % 4 === 3 ? 255 : 120)) };
    const jpeg = await decodeRgba(await encodeRgba(smooth, 'jpeg'));
    expect(Math.max(...Array.from(jpeg.data, (v, i) => Math.abs(v - smooth.data[i])))).toBeLessThanOrEqual(2);
  });

  it('writes by extension and reads the file back', async () => {
    const path = join(dir, 'out.PNG');
    await writeImageFile(path, gradient(5, 5));
    expect((await decodeRgba(path)).width).toBe(5);
  });

  it('reads a white-on-transparent selection as a grey mask', async () => {
    const data = Buffer.alloc(2 * 1 * 4);
    data.set([255, 255, 255, 255, 255, 255, 255, 0]);
    const png = await sharp(data, { raw: { width: 2, height: 1, channels: 4 } }).png().toBuffer();
    const mask = await decodeGray(png);
    expect(Array.from(mask.data)).toEqual([255, 0]);
  });

  it('names the fix for an unsupported extension', () => {
    expect(() => formatOfPath('out.gif')).toThrow(/use a \.png, \.jpg or \.jpeg/);
  });

  it('rejects a file that is not an image', async () => {
    const path = join(dir, 'not-an-image.png');
    writeFileSync(path, 'hello');
    await expect(decodeRgba(path)).rejects.toThrow();
  });

  it('resizes to the exact size asked for', async () => {
    const out = await resizeRgba(gradient(30, 20), 16, 8);
    expect([out.width, out.height, out.data.length]).toEqual([16, 8, 16 * 8 * 4]);
  });
});
