import { fakePhotoshop } from '../fakes/photoshop';
import { readSourceCrop } from '../../../plugin/host/source';
import { photoScene } from '../fixtures';

describe('reading the context crop of the source', () => {
  it('reads only the requested crop of the active layer, as 8-bit RGBA', async () => {
    const { doc, photo } = photoScene();
    const crop = { left: 8, top: 4, width: 32, height: 24 };
    const source = await readSourceCrop(doc.id, { kind: 'layer', layer: photo }, crop);
    expect(source.bounds).toEqual(crop);
    expect(source.image.data.length).toBe(32 * 24 * 4);
    // Pixel (8, 4) of the gradient: red = 8/64, green = 4/48.
    expect([...source.image.data.subarray(0, 4)]).toEqual([32, 21, 128, 255]);
    expect(fakePhotoshop.liveImageData()).toBe(0);
  });

  it('places data by the bounds Photoshop returns when a layer covers less than the crop', async () => {
    const { doc } = photoScene();
    const patch = doc.addLayer('Patch', (x, y) => (x >= 30 && y >= 20 ? [1, 0, 0, 1] : null));
    const source = await readSourceCrop(doc.id, { kind: 'layer', layer: patch }, { left: 0, top: 0, width: 40, height: 30 });
    expect(source.bounds).toEqual({ left: 30, top: 20, width: 10, height: 10 });
    expect(source.image.width).toBe(10);
  });

  it('reads the merged visible image when asked', async () => {
    const { doc } = photoScene();
    doc.addLayer('Red over the top', (x) => (x < 10 ? [1, 0, 0, 1] : null));
    const source = await readSourceCrop(doc.id, { kind: 'merged' }, { left: 0, top: 0, width: 20, height: 1 });
    expect([...source.image.data.subarray(0, 4)]).toEqual([255, 0, 0, 255]);
    expect(source.image.data[10 * 4]).toBe(40);
  });

  it('reads a 16-bit document as 8-bit', async () => {
    const { doc, photo } = photoScene({ depth: 16 });
    const source = await readSourceCrop(doc.id, { kind: 'layer', layer: photo }, { left: 32, top: 0, width: 1, height: 1 });
    expect([...source.image.data]).toEqual([128, 0, 128, 255]);
  });

  it('says what to do when the source is a group or has no pixels in the crop', async () => {
    const { doc, photo } = photoScene();
    const empty = doc.addLayer('Empty', () => null);
    const crop = { left: 0, top: 0, width: 8, height: 8 };
    await expect(readSourceCrop(doc.id, { kind: 'layer', layer: empty }, crop)).rejects.toMatchObject({
      code: 'unsupported-source',
      message: expect.stringMatching(/"Empty" has no pixels around the selection.*Merged visible/),
    });
    const { core } = await import('../fakes/photoshop');
    const group = await core.executeAsModal(async () => (await doc.createLayerGroup({ name: 'Folder', fromLayers: [photo] }))!, { commandName: 'setup' });
    await expect(readSourceCrop(doc.id, { kind: 'layer', layer: group }, crop)).rejects.toMatchObject({
      code: 'unsupported-source',
      message: expect.stringMatching(/"Folder" is a group/),
    });
  });

  it('refuses a source layer that no longer exists', async () => {
    const { doc, photo } = photoScene();
    doc.deleteByUser(photo);
    await expect(readSourceCrop(doc.id, { kind: 'layer', layer: photo }, { left: 0, top: 0, width: 4, height: 4 })).rejects.toMatchObject({ code: 'source-gone' });
  });
});
