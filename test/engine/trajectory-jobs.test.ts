import { EngineHost } from '../../companion-server/engine-host';
import type { ProgressEvent } from '../../companion-server/engine/jobs';
import { GENERATION, brushRequest, generatedSource, loadCountingModel, rectMask, TINY_SD } from './brush/tiny-brush';

let host: EngineHost;
beforeAll(async () => {
  host = await EngineHost.start({ modelDir: TINY_SD, providers: ['cpu'] });
});
afterAll(() => host.close());

describe('the generate and brush jobs in the engine worker', () => {
  it('leaves a generation\'s trajectory in the cache, so the first brush on the image runs only its regeneration steps', async () => {
    const request = { ...GENERATION, seed: 1234, scheduler: 'dpm++2m' as const };
    const generated = await host.run('generate', request);
    const mask = rectMask(64, 64, { left: 8, top: 8, width: 16, height: 16 });
    const events: ProgressEvent[] = [];
    const edit = brushRequest(generated.image, [{ mask, step: 3, strength: 0, seed: 5 }], {
      scheduler: request.scheduler,
      trajectory: { kind: 'generated', generation: request },
    });
    const result = await host.run('brush', edit, { onProgress: (event) => events.push(event) });
    expect(events.filter((e) => e.phase === 'denoise').map((e) => e.step)).toEqual([4, 5, GENERATION.steps]);
    // Strength 0 resumes the cached trajectory (with DPM++ 2M's history) and lands on the generated pixels.
    expect(Buffer.from(result.variations[0].image.data).equals(Buffer.from(generated.image.data))).toBe(true);
  });

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
      const stepsByPhase = async () => {
        const events: ProgressEvent[] = [];
        await starved.run('brush', request, { onProgress: (event) => events.push(event) });
        return events.filter((e) => e.phase === 'regenerate' || e.phase === 'denoise').map((e) => `${e.phase} ${e.step}`);
      };
      // The source is rebuilt each time (reported as its own phase), then the edit's steps n+1..N run.
      const regenerateAndEdit = [...Array.from({ length: GENERATION.steps }, (_, i) => `regenerate ${i + 1}`), 'denoise 4', 'denoise 5', `denoise ${GENERATION.steps}`];
      expect(await stepsByPhase()).toEqual(regenerateAndEdit);
      expect(await stepsByPhase()).toEqual(regenerateAndEdit);
    } finally {
      await starved.close();
    }
  });
});
