import { fakePhotoshop } from '../fakes/photoshop';
import { readSelectionMask } from '../../../plugin/host/selection';
import { HostError } from '../../../plugin/host/errors';
import { photoScene } from '../fixtures';

describe('the selection becomes a soft 8-bit mask', () => {
  it('reads only the selection bounds, as a one-channel mask at full value inside', async () => {
    const { doc } = photoScene();
    const selection = await readSelectionMask();
    expect(selection.documentId).toBe(doc.id);
    expect(selection.bounds).toEqual({ left: 20, top: 10, width: 16, height: 12 });
    expect(selection.mask.width * selection.mask.height).toBe(selection.mask.data.length);
    expect(new Set(selection.mask.data)).toEqual(new Set([255]));
    expect(fakePhotoshop.liveImageData()).toBe(0);
  });

  it('keeps the soft values of a feathered selection', async () => {
    photoScene({ feather: 4 });
    const { mask } = await readSelectionMask();
    const values = [...mask.data];
    expect(values.some((v) => v > 0 && v < 255)).toBe(true);
    expect(Math.max(...values)).toBe(255);
    // The edge ramps up toward the inside: corner pixel 51 (1/5), fully inside 255.
    expect(mask.data[0]).toBe(51);
  });

  it('normalises a 16-bit document selection (0..32768) to 0..255', async () => {
    photoScene({ depth: 16, feather: 1 });
    const { mask } = await readSelectionMask();
    expect(Math.max(...mask.data)).toBe(255);
    expect(mask.data[0]).toBe(128);
  });

  it('says what to do when nothing is selected', async () => {
    const { doc } = photoScene();
    fakePhotoshop.select(doc, null);
    const failure = readSelectionMask();
    await expect(failure).rejects.toBeInstanceOf(HostError);
    await expect(failure).rejects.toMatchObject({ code: 'no-selection', message: expect.stringMatching(/Select the area to repaint/) });
  });

  it('says what to do when no document is open', async () => {
    fakePhotoshop.reset();
    await expect(readSelectionMask()).rejects.toMatchObject({ code: 'no-document', message: expect.stringMatching(/Open or create/) });
  });
});
