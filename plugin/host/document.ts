/** Finding documents and layers, and describing them to the panel. */
import { app, constants } from 'photoshop';
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';
import type { ComponentSize } from '../imaging/depth';
import { hostErrors } from './errors';

export type { Document, Layer };

/** A layer as the panel knows it: found again by id, named in messages. */
export interface LayerRef {
  id: number;
  name: string;
}

export function documentById(documentId: number): Document | null {
  return app.documents.find((doc) => doc.id === documentId) ?? null;
}

export function activeDocument(): Document {
  const doc = app.activeDocument;
  if (!doc) throw hostErrors.noDocument();
  if (doc.mode !== constants.DocumentMode.RGB) throw hostErrors.unsupportedMode(doc.mode);
  return doc;
}

/** Layer references go stale when layers are deleted, so layers are always found again by id. */
export function findLayer(layers: Iterable<Layer>, layerId: number): Layer | null {
  for (const layer of layers) {
    if (layer.id === layerId) return layer;
    if (layer.kind === constants.LayerKind.GROUP && layer.layers) {
      const inner = findLayer(layer.layers, layerId);
      if (inner) return inner;
    }
  }
  return null;
}

export function componentSize(doc: Document): ComponentSize {
  switch (doc.bitsPerChannel) {
    case constants.BitsPerChannelType.EIGHT:
      return 8;
    case constants.BitsPerChannelType.SIXTEEN:
      return 16;
    case constants.BitsPerChannelType.THIRTYTWO:
      return 32;
    default:
      throw hostErrors.unsupportedMode(`${doc.bitsPerChannel} depth`);
  }
}

/** Puts a layer at the top of the stack (it may be there already: a layer cannot move relative to itself). */
export function moveToTop(doc: Document, layer: Layer): void {
  const top = doc.layers[0];
  if (top.id !== layer.id) layer.move(top, constants.ElementPlacement.PLACEBEFORE);
}

/** Makes `layer` the only selected (active) layer. */
export function selectOnly(doc: Document, layer: Layer): void {
  for (const active of doc.activeLayers) if (active.id !== layer.id) active.selected = false;
  layer.selected = true;
}
