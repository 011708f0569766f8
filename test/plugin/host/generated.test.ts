import { writeGeneratedLayer } from '../../../plugin/host/generated';
import { readGenerationRecord } from '../../../plugin/host/layer-metadata';
import type { GenerationRecord } from '../../../plugin/generation-record';
import { photoScene } from '../fixtures';

const record: GenerationRecord = {
  model: 'tiny-sd',
  generation: { prompt: 'a lighthouse at dusk', negativePrompt: '', steps: 12, guidance: 7.5, scheduler: 'ddim', seed: 7, width: 32, height: 24 },
  placement: { left: 16, top: 12, width: 32, height: 24 },
};

function image() {
  return { width: 32, height: 24, data: new Uint8Array(32 * 24 * 4).fill(200) };
}

describe('a generated layer carries its generation parameters', () => {
  it('writes the image as a new top layer in one history step and stores the record with it', async () => {
    const { doc, photo } = photoScene();
    const history = doc.historyStates.length;
    const layerId = await writeGeneratedLayer({ documentId: doc.id, layerName: 'Generated "a lighthouse at dusk" · seed 7 · 12 steps', image: image(), record, isCancelled: () => false });
    expect(doc.layers[0].id).toBe(layerId);
    expect(doc.layers[1]).toBe(photo);
    expect(doc.layers[0].name).toMatch(/seed 7/);
    expect(doc.historyStates.length).toBe(history + 1);
    await expect(readGenerationRecord(doc.id, layerId)).resolves.toEqual(record);
  });

  it('finds no record on a layer we did not generate', async () => {
    const { doc, photo } = photoScene();
    await expect(readGenerationRecord(doc.id, photo.id)).resolves.toBeNull();
  });
});
