import { EngineHost } from '../../../companion-server/engine-host';
import type { ProgressEvent } from '../../../companion-server/engine/jobs';
import { GENERATION, brushRequest, generatedSource, loadCountingModel, rectMask, TINY_SD } from './tiny-brush';

let host: EngineHost;
beforeAll(async () => {
  host = await EngineHost.start({ modelDir: TINY_SD, providers: ['cpu'] });
});
afterAll(() => host.close());

describe('the brush job in the engine worker', () => {
  it('returns K variations with previews and progress, and reuses its cached trajectory on the next edit', async () => {
    const local = await loadCountingModel();
    const source = await generatedSource(local.model);
    await local.model.release();
    const mask = rectMask(64, 64, { left: 16, top: 16, width: 24, height: 24 });
    const events: ProgressEvent[] = [];
    const result = await host.run('brush', brushRequest(source, [{ mask, step: 2, strength: 1, seed: 1 }], { variations: 2, previewEvery: 2 }), {
      onProgress: (event) => events.push(event),
    });
    expect(result.variations.map((v) => [v.index, v.image.width, v.image.height])).toEqual([
      [0, 64, 64],
      [1, 64, 64],
    ]);
    expect(result.parameters.masks).toEqual([{ step: 2, strength: 1, seed: 1 }]);
    expect(events.some((e) => e.preview && e.preview.width === 8)).toBe(true);

    const again: ProgressEvent[] = [];
    await host.run('brush', brushRequest(source, [{ mask, step: 3, strength: 0.5, seed: 9 }]), { onProgress: (event) => again.push(event) });
    expect(again.filter((e) => e.phase === 'denoise').map((e) => e.step)).toEqual([4, 5, GENERATION.steps]);
  });

  it('refuses a bad request with the validator\'s sentence', async () => {
    const source = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 4) };
    const empty = rectMask(64, 64, { left: 0, top: 0, width: 0, height: 0 });
    await expect(host.run('brush', brushRequest(source, [{ mask: empty, step: 2, strength: 1, seed: 1 }]))).rejects.toThrow(/masks\[0\]\.mask is empty/);
  });

  it('keeps no trajectory when the memory budget has no room for one', async () => {
    const starved = await EngineHost.start({ modelDir: TINY_SD, providers: ['cpu'], memoryBudgetBytes: 0 });
    try {
      const source = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 4).fill(90) };
      const mask = rectMask(64, 64, { left: 16, top: 16, width: 24, height: 24 });
      const request = brushRequest(source, [{ mask, step: 3, strength: 0.5, seed: 9 }]);
      const denoiseSteps = async () => {
        const events: ProgressEvent[] = [];
        await starved.run('brush', request, { onProgress: (event) => events.push(event) });
        return events.filter((e) => e.phase === 'denoise').map((e) => e.step);
      };
      const regenerateAndEdit = [...Array.from({ length: GENERATION.steps }, (_, i) => i + 1), 4, 5, GENERATION.steps];
      expect(await denoiseSteps()).toEqual(regenerateAndEdit);
      expect(await denoiseSteps()).toEqual(regenerateAndEdit);
    } finally {
      await starved.close();
    }
  });
});
