import { fakePhotoshop, type FakeDocument, type FakeLayer } from '../fakes/photoshop';
import { writeEdit, type EditToWrite } from '../../../plugin/host/results';
import { layerFingerprint, photoScene } from '../fixtures';

const placement = { left: 16, top: 8, width: 24, height: 16 };

function variation(index: number, red: number) {
  const pixels = placement.width * placement.height;
  const image = { width: placement.width, height: placement.height, data: new Uint8Array(pixels * 4) };
  for (let p = 0; p < pixels; p++) image.data.set([red, 10, 20, 255], p * 4);
  // The mask shows the variation in the left half only, with a soft column at the boundary.
  const layerMask = { width: placement.width, height: placement.height, data: new Uint8Array(pixels) };
  for (let y = 0; y < placement.height; y++) {
    for (let x = 0; x < placement.width; x++) layerMask.data[y * placement.width + x] = x < 11 ? 255 : x === 11 ? 128 : 0;
  }
  return { layerName: `v${index + 1} · seed ${42 + index} · step 5 · strength 0.8`, image, placement, layerMask };
}

function edit(doc: FakeDocument, sourceLayer: FakeLayer | null, overrides: Partial<EditToWrite> = {}): EditToWrite {
  return {
    documentId: doc.id,
    sourceLayer: sourceLayer && { id: sourceLayer.id, name: sourceLayer.name },
    name: 'Brush "a red door"',
    variations: [variation(0, 200), variation(1, 100), variation(2, 50)],
    isCancelled: () => false,
    ...overrides,
  };
}

describe('writing an edit', () => {
  it('adds a group named for the edit directly above the source, one masked layer per variation, only the first visible', async () => {
    const { doc, photo } = photoScene();
    const written = await writeEdit(edit(doc, photo));

    const [group, below] = doc.layers;
    expect(below).toBe(photo);
    expect(group.id).toBe(written.groupId);
    expect(group.name).toBe('Brush "a red door"');
    expect(group.layers!.map((layer) => layer.name)).toEqual([
      'v1 · seed 42 · step 5 · strength 0.8',
      'v2 · seed 43 · step 5 · strength 0.8',
      'v3 · seed 44 · step 5 · strength 0.8',
    ]);
    expect(group.layers!.map((layer) => layer.id)).toEqual(written.layerIds);
    expect(group.layers!.map((layer) => layer.visible)).toEqual([true, false, false]);

    const first = group.layers![0];
    const at = (x: number, y: number) => y * doc.width + x;
    expect(first.pixels![at(16, 8) * 4]).toBeCloseTo(200 / 255);
    expect(first.pixels![at(15, 8) * 4 + 3]).toBe(0);
    // The layer mask covers the whole document: black outside the placement, the mask inside.
    expect(first.mask![at(0, 0)]).toBe(0);
    expect(first.mask![at(16, 8)]).toBe(1);
    expect(first.mask![at(16 + 11, 8)]).toBeCloseTo(128 / 255);
    expect(first.mask![at(16 + 12, 8)]).toBe(0);
    expect(fakePhotoshop.liveImageData()).toBe(0);
  });

  it('selects the source again, so the next brush continues from it', async () => {
    const { doc, photo } = photoScene();
    await writeEdit(edit(doc, photo));
    expect(doc.activeLayers).toEqual([photo]);
  });

  it('is one history step, and leaves every existing layer untouched', async () => {
    const { doc, photo } = photoScene();
    const other = doc.addLayer('Text', (x, y) => (x < 4 && y < 4 ? [0, 0, 0, 1] : null));
    const before = layerFingerprint([photo, other]);
    const history = doc.historyStates.length;
    await writeEdit(edit(doc, photo));
    expect(doc.historyStates.length).toBe(history + 1);
    expect(doc.historyStates.at(-1)).toBe('Brush "a red door"');
    expect(layerFingerprint([photo, other])).toEqual(before);
  });

  it('puts the group on top of the stack when the source is the merged image', async () => {
    const { doc } = photoScene();
    const top = doc.addLayer('Top', () => null);
    await writeEdit(edit(doc, null));
    expect(doc.layers[0].name).toBe('Brush "a red door"');
    expect(doc.layers[1]).toBe(top);
  });

  it('lands above a source inside a group, in that group', async () => {
    const { doc, photo } = photoScene();
    const folder = await fakeGroup(doc, 'Folder', photo);
    await writeEdit(edit(doc, photo));
    expect(folder.layers!.map((layer) => layer.name)).toEqual(['Brush "a red door"', 'Photo']);
  });

  it('writes 16-bit pixels and masks into a 16-bit document', async () => {
    const { doc, photo } = photoScene({ depth: 16 });
    await writeEdit(edit(doc, photo));
    const first = doc.layers[0].layers![0];
    expect(first.pixels![(8 * doc.width + 16) * 4]).toBeCloseTo(200 / 255, 4);
  });

  it('writes nothing when the source layer was deleted while the job ran', async () => {
    const { doc, photo } = photoScene();
    const survivor = doc.addLayer('Survivor', () => null);
    doc.deleteByUser(photo);
    const history = doc.historyStates.slice();
    await expect(writeEdit(edit(doc, photo))).rejects.toMatchObject({ code: 'source-gone', message: expect.stringMatching(/"Photo" was deleted while the edit ran. Nothing was written/) });
    expect(doc.layers).toEqual([survivor]);
    expect(doc.historyStates).toEqual(history);
  });

  it('writes nothing when the document was closed while the job ran', async () => {
    const { doc, photo } = photoScene();
    fakePhotoshop.closeDocument(doc);
    await expect(writeEdit(edit(doc, photo))).rejects.toMatchObject({ code: 'document-gone' });
  });

  it('rolls back the layers already written when the panel cancels half-way', async () => {
    const { doc, photo } = photoScene();
    const history = doc.historyStates.slice();
    let checks = 0;
    // The first check passes (one layer gets written), the second reports the panel's Cancel.
    await expect(writeEdit(edit(doc, photo, { isCancelled: () => ++checks > 1 }))).rejects.toMatchObject({ code: 'cancelled' });
    expect(doc.layers).toEqual([photo]);
    expect(doc.historyStates).toEqual(history);
    expect(fakePhotoshop.liveImageData()).toBe(0);
  });

  it('rolls back when the user presses Esc on Photoshop\'s progress bar', async () => {
    const { doc, photo } = photoScene();
    let checks = 0;
    const pressEscapeOnSecondCheck = () => {
      if (++checks === 2) fakePhotoshop.pressEscape();
      return false;
    };
    await expect(writeEdit(edit(doc, photo, { isCancelled: pressEscapeOnSecondCheck }))).rejects.toMatchObject({ code: 'cancelled' });
    expect(doc.layers).toEqual([photo]);
  });

  it('says Photoshop is busy when another modal operation holds it', async () => {
    const { doc, photo } = photoScene();
    const { core } = await import('../fakes/photoshop');
    let release!: () => void;
    const other = core.executeAsModal(() => new Promise<void>((resolve) => (release = resolve)), { commandName: 'Another plugin' });
    await expect(writeEdit(edit(doc, photo))).rejects.toMatchObject({ code: 'photoshop-busy' });
    release();
    await other;
  });
});

describe('the Photoshop fake keeps Photoshop\'s rules', () => {
  it('refuses document changes outside a modal scope', async () => {
    const { doc, photo } = photoScene();
    await expect(doc.createPixelLayer({ name: 'sneaky' })).rejects.toThrow(/only allowed from inside a modal scope/);
    expect(() => (photo.visible = false)).toThrow(/modal scope/);
  });
});

async function fakeGroup(doc: FakeDocument, name: string, member: ReturnType<FakeDocument['addLayer']>) {
  const { core } = await import('../fakes/photoshop');
  return core.executeAsModal(async () => (await doc.createLayerGroup({ name, fromLayers: [member] }))!, { commandName: 'setup' });
}
