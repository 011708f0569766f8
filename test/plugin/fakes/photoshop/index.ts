/**
 * A fake of the 'photoshop' module for tests (jest maps 'photoshop' here; the browser harness aliases
 * it). `fakePhotoshop` is the test's side: open documents, select, delete layers as a user, press
 * Esc on the progress bar, and inspect history and undisposed image data.
 */
import type * as Constants from 'photoshop/dom/Constants';
import { action } from './action';
import { constants } from './constants';
import { cancelModalScope, core } from './core';
import { FakeDocument, type FakeLayer } from './document';
import { imageEncoder, imaging } from './imaging';
import { session } from './session';

export { action, constants, core, imaging };
export type { FakeDocument, FakeLayer };

export const app = {
  get documents(): FakeDocument[] {
    return session.documents;
  },
  get activeDocument(): FakeDocument | null {
    return session.activeDocument;
  },
};

export interface NewDocument {
  title?: string;
  width: number;
  height: number;
  depth?: 8 | 16 | 32;
}

const DEPTHS: Record<8 | 16 | 32, Constants.BitsPerChannelType> = {
  8: constants.BitsPerChannelType.EIGHT,
  16: constants.BitsPerChannelType.SIXTEEN,
  32: constants.BitsPerChannelType.THIRTYTWO,
};

export const fakePhotoshop = {
  reset: () => session.reset(),
  openDocument(spec: NewDocument): FakeDocument {
    const doc = new FakeDocument(spec.title ?? 'Untitled-1', spec.width, spec.height, DEPTHS[spec.depth ?? 8]);
    session.documents.push(doc);
    session.activeDocument = doc;
    return doc;
  },
  closeDocument(doc: FakeDocument): void {
    session.documents = session.documents.filter((d) => d !== doc);
    if (session.activeDocument === doc) session.activeDocument = session.documents[0] ?? null;
  },
  /** Sets a selection from per-pixel coverage 0..1 (null: select nothing). */
  select(doc: FakeDocument, coverage: ((x: number, y: number) => number) | null): void {
    if (!coverage) {
      doc.selectionCoverage = null;
      return;
    }
    const plane = new Float32Array(doc.width * doc.height);
    for (let y = 0; y < doc.height; y++) for (let x = 0; x < doc.width; x++) plane[y * doc.width + x] = coverage(x, y);
    doc.selectionCoverage = plane;
  },
  pressEscape: cancelModalScope,
  liveImageData: () => session.liveImageData,
  isModal: () => session.modal !== null,
  imageEncoder,
};
