import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fitLatentRgb, latentPreview, latentRgbFor, LATENT_RGB_FILE, type LatentRgbCoefficients } from '../../../companion-server/engine/preview';
import type { StableDiffusionModel } from '../../../companion-server/engine/model/components';
import { encodeImages } from '../../../companion-server/engine/pipeline/vae';
import { loadCountingModel, TINY_SD } from '../brush/tiny-brush';

let model: StableDiffusionModel;
beforeAll(async () => {
  model = (await loadCountingModel()).model;
});
afterAll(() => model.release());

describe('latentPreview', () => {
  it('maps one latent row to an opaque image of the latent grid\'s size', () => {
    const coefficients: LatentRgbCoefficients = { weights: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]], bias: [0, 0, 0] };
    const latents = { data: new Float32Array(2 * 4 * 3 * 2).fill(-1).fill(1, 24), dims: [2, 4, 3, 2] };
    const image = latentPreview(latents, coefficients, 1);
    expect([image.width, image.height]).toEqual([2, 3]);
    expect(Array.from(image.data.subarray(0, 4))).toEqual([255, 255, 255, 255]);
    expect(latentPreview(latents, coefficients, 0).data[0]).toBe(0);
  });
});

describe('the fitted coefficients of tiny-sd', () => {
  it('are the committed latent_rgb.json, reproducibly', async () => {
    const committed = JSON.parse(readFileSync(join(TINY_SD, LATENT_RGB_FILE), 'utf8')) as LatentRgbCoefficients;
    const fitted = await fitLatentRgb(model);
    fitted.weights.flat().forEach((w, i) => expect(w).toBeCloseTo(committed.weights.flat()[i], 6));
    fitted.bias.forEach((b, i) => expect(b).toBeCloseTo(committed.bias[i], 6));
  });

  it('predict the decoded colours of an encoded image better than their mean does', async () => {
    const coefficients = await latentRgbFor(model);
    const image = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 4) };
    for (let p = 0; p < 64 * 64; p++) image.data.set([(p % 64) * 4, Math.floor(p / 64) * 4, 255 - (p % 64) * 2, 255], p * 4);
    const latents = await encodeImages(model, [image]);
    const decoded = await model.vaeDecoder.decode(latents);
    const preview = latentPreview(latents, coefficients);
    // Block means of the decode, in the preview's 8-bit scale.
    const target: number[] = [];
    const predicted: number[] = [];
    for (let c = 0; c < 3; c++) {
      for (let cell = 0; cell < 64; cell++) {
        const [cy, cx] = [Math.floor(cell / 8), cell % 8];
        let sum = 0;
        for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) sum += decoded.data[c * 64 * 64 + (cy * 8 + y) * 64 + cx * 8 + x];
        target.push(Math.min(255, Math.max(0, ((sum / 64 + 1) / 2) * 255)));
        predicted.push(preview.data[cell * 4 + c]);
      }
    }
    const mean = target.reduce((s, v) => s + v, 0) / target.length;
    const error = (values: number[]) => values.reduce((s, v, i) => s + (v - target[i]) ** 2, 0);
    expect(error(predicted)).toBeLessThan(error(target.map(() => mean)));
  });

  it('are fitted and written on first use when a model folder has none', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'latent-rgb-'));
    const coefficients = await latentRgbFor({ ...model, directory });
    expect(coefficients.weights).toHaveLength(3);
    expect(existsSync(join(directory, LATENT_RGB_FILE))).toBe(true);
  });

  it.each([
    ['broken JSON', '{"weights": [[1, 0'],
    ['the wrong number of channels', JSON.stringify({ weights: [[1], [0], [0]], bias: [0, 0, 0] })],
  ])('refuse a stored file with %s, naming the file and the fix', async (_name, content) => {
    const directory = mkdtempSync(join(tmpdir(), 'latent-rgb-'));
    writeFileSync(join(directory, LATENT_RGB_FILE), content);
    await expect(latentRgbFor({ ...model, directory })).rejects.toThrow(`${join(directory, LATENT_RGB_FILE)} is not a valid preview fit for 4 latent channels; delete it to refit.`);
  });
});
