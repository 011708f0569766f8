import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { brushCommand } from '../../companion-server/cli/brush';
import { decodeRgba } from '../../companion-server/engine/image';
import { TINY_SD } from '../support/tiny-model';

const WIDTH = 64;
const HEIGHT = 48;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'brush-cli-'));
  const rgb = Buffer.alloc(WIDTH * HEIGHT * 3);
  for (let p = 0; p < WIDTH * HEIGHT; p++) rgb.set([(p % WIDTH) * 4, Math.floor(p / WIDTH) * 5, 90], p * 3);
  await sharp(rgb, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).png().toFile(join(dir, 'in.png'));
  await sharp(rgb, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).jpeg({ quality: 95 }).toFile(join(dir, 'in.jpg'));
  const mask = Buffer.alloc(WIDTH * HEIGHT);
  for (let y = 16; y < 32; y++) mask.fill(255, y * WIDTH + 20, y * WIDTH + 44);
  await sharp(mask, { raw: { width: WIDTH, height: HEIGHT, channels: 1 } }).png().toFile(join(dir, 'mask.png'));
  await sharp(Buffer.alloc(WIDTH * HEIGHT), { raw: { width: WIDTH, height: HEIGHT, channels: 1 } }).png().toFile(join(dir, 'empty.png'));
  await sharp(Buffer.alloc(32 * 32), { raw: { width: 32, height: 32, channels: 1 } }).png().toFile(join(dir, 'small.png'));
  writeFileSync(join(dir, 'broken.png'), 'not an image');
});

function brush(...args: string[]): Promise<unknown> {
  const base = ['--model', TINY_SD, '--steps', '4', '--source', 'noise', '--quiet'];
  return brushCommand().exitOverride().configureOutput({ writeErr: () => undefined }).parseAsync([...base, ...args], { from: 'user' });
}

describe('npm run brush', () => {
  it('writes the edited image: source pixels outside the mask, new pixels inside', async () => {
    const out = join(dir, 'out.png');
    await brush('--image', join(dir, 'in.png'), '--mask', join(dir, 'mask.png'), '--step', '1', '--strength', '1', '--seed', '42', '--out', out);
    const [source, edited] = await Promise.all([decodeRgba(join(dir, 'in.png')), decodeRgba(out)]);
    expect([edited.width, edited.height]).toEqual([WIDTH, HEIGHT]);
    const pixel = (image: typeof source, x: number, y: number) => Array.from(image.data.subarray((y * WIDTH + x) * 4, (y * WIDTH + x) * 4 + 4));
    expect(pixel(edited, 2, 2)).toEqual(pixel(source, 2, 2));
    expect(pixel(edited, 60, 40)).toEqual(pixel(source, 60, 40));
    let changed = 0;
    for (let y = 16; y < 32; y++) for (let x = 20; x < 44; x++) if (pixel(edited, x, y).join() !== pixel(source, x, y).join()) changed++;
    expect(changed).toBeGreaterThan(16 * 24 * 0.5);
  });

  it('reads JPEG and writes one JPEG per variation', async () => {
    const out = join(dir, 'variation.jpg');
    await brush('--image', join(dir, 'in.jpg'), '--mask', join(dir, 'mask.png'), '--step', '1', '--strength', '0.8', '--variations', '2', '--out', out);
    expect(existsSync(join(dir, 'variation-1.jpg')) && existsSync(join(dir, 'variation-2.jpg'))).toBe(true);
  });

  it.each([
    ['a mask of another size', ['--mask', 'small.png'], /--mask \(mask 1\): .*32x32 but the source is 64x48/],
    ['a step outside 0..N', ['--step', '9'], /--step \(mask 1\): .*from 0 to 2/],
    ['a NaN strength', ['--strength', 'NaN'], /--strength must be a number; got "NaN"/],
    ['an empty mask', ['--mask', 'empty.png'], /--mask \(mask 1\): .*empty/],
    ['an unreadable image', ['--image', 'broken.png'], /--image: cannot read .*broken\.png/],
    ['a missing image', ['--image', 'nowhere.png'], /--image: .*nowhere\.png does not exist/],
    ['an unsupported output type', ['--out', 'out.gif'], /--out: .*\.png, \.jpg or \.jpeg/],
    ['per-mask values that do not match the masks', ['--step', '1', '--step', '2'], /--step was given 2 times for 1 masks/],
    ['a negative noise seed', ['--source-seed', '-1'], /^--source-seed: .*whole number/],
    ['a negative generation seed', ['--source', 'generated', '--source-seed', '-1'], /^--source-seed: .*whole number/],
  ])('refuses %s with an error naming the argument, and writes nothing', async (_name, override, message) => {
    const options: Record<string, string> = { '--image': 'in.png', '--mask': 'mask.png', '--step': '1', '--strength': '1', '--out': 'refused.png' };
    const args: string[] = [];
    for (let i = 0; i < override.length; i += 2) {
      if (override[i] in options && !args.includes(override[i])) delete options[override[i]];
      args.push(override[i], override[i + 1]);
    }
    for (const [flag, value] of Object.entries(options)) args.push(flag, value);
    const resolved = args.map((value, i) => (i % 2 === 1 && /\.(png|jpg|gif)$/.test(value) ? join(dir, value) : value));
    const before = readdirSync(dir).sort();
    await expect(brush(...resolved)).rejects.toThrow(message);
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});
