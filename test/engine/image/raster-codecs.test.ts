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
  replaceWhereMasked,
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

  it('takes the patch\'s colour where the mask is set and keeps every other byte, alpha included', () => {
    const base = gradient(4, 3);
    const patch = { width: 2, height: 1, data: new Uint8Array(8).fill(9) };
    const mask = { width: 4, height: 3, data: new Uint8Array(12) };
    mask.data[1 * 4 + 2] = 1;
    const out = replaceWhereMasked(base, patch, mask, { left: 1, top: 1 });
    const changed = Array.from(out.data).flatMap((v, i) => (v === base.data[i] ? [] : [i]));
    expect(changed).toEqual([24, 25, 26].filter((i) => base.data[i] !== 9));
    expect(Array.from(out.data.subarray(24, 28))).toEqual([9, 9, 9, base.data[27]]);
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

  it('computes only a region of a resize, equal to that region of the whole resize', async () => {
    const image = gradient(20, 16);
    const whole = await resizeRgba(image, 50, 40);
    const region = { left: 7, top: 5, width: 20, height: 11 };
    expect((await resizeRgba(image, 50, 40, region)).data).toEqual(cropPixels(whole, region, 4).data);
  });
});
