/**
 * Writes an edit's variations as new layers: a group named for the edit, directly above the source,
 * one pixel layer per variation with a layer mask from the edit's mask, only the first visible so
 * toggling it compares with the original below. Existing layers are only ever read (the source is
 * selected again, which changes no pixels).
 */
import { constants, imaging } from 'photoshop';
import type { Document } from 'photoshop/dom/Document';
import { componentSize, documentById, findLayer, moveToTop, selectOnly, type Layer, type LayerRef } from './document';
import { fromEightBit } from '../imaging/depth';
import { placeGray, type GrayImage, type RgbaImage } from '../imaging/pixels';
import type { PixelRect } from '../imaging/geometry';
import { hostErrors } from './errors';
import { withImageData } from './image-data';
import { asOneHistoryStep, throwIfCancelled } from './modal';

export interface VariationToWrite {
  layerName: string;
  image: RgbaImage;
  /** Where `image` goes on the canvas. */
  placement: PixelRect;
  /** Same size as `image`: 255 shows the variation, 0 shows the original beneath. */
  layerMask: GrayImage;
}

export interface EditToWrite {
  documentId: number;
  /** The layer the edit started from, or null for the merged image (the group then goes on top). */
  sourceLayer: LayerRef | null;
  /** Group name, also the history step's name. */
  name: string;
  /** In order: the first is the one shown. */
  variations: VariationToWrite[];
  /** The panel's Cancel, checked between writes. */
  isCancelled: () => boolean;
}

export interface WrittenEdit {
  groupId: number;
  /** The variation layers, in the order given. */
  layerIds: number[];
}

export function writeEdit(edit: EditToWrite): Promise<WrittenEdit> {
  return asOneHistoryStep({ documentId: edit.documentId, name: edit.name }, async (context) => {
    const { doc, source } = requireTarget(edit);
    const layers: Layer[] = [];
    // Created last-first: each new layer lands above the previous one, so the first variation ends on top.
    for (const variation of [...edit.variations].reverse()) {
      throwIfCancelled(context, edit.isCancelled);
      layers.unshift(await writeVariationLayer(doc, variation));
    }
    layers.forEach((layer, index) => (layer.visible = index === 0));
    const group = await doc.createLayerGroup({ name: edit.name, fromLayers: layers });
    if (!group) throw hostErrors.refused('create the result group', 'no group was created');
    if (source) {
      group.move(source, constants.ElementPlacement.PLACEBEFORE);
      // Photoshop leaves the new group selected; selecting the source again lets the next brush continue from it.
      selectOnly(doc, source);
    } else {
      moveToTop(doc, group);
    }
    return { groupId: group.id, layerIds: layers.map((layer) => layer.id) };
  });
}

/** The network round trip ran outside the modal scope: the document or the source may be gone by now. */
function requireTarget(edit: EditToWrite): { doc: Document; source: Layer | null } {
  const doc = documentById(edit.documentId);
  if (!doc) throw hostErrors.documentGone();
  if (edit.sourceLayer === null) return { doc, source: null };
  const source = findLayer(doc.layers, edit.sourceLayer.id);
  if (!source) throw hostErrors.sourceGone(edit.sourceLayer.name);
  return { doc, source };
}

/** A new pixel layer holding `image` at `placement`. */
export async function writePixelLayer(doc: Document, name: string, image: RgbaImage, placement: PixelRect): Promise<Layer> {
  const layer = await doc.createPixelLayer({ name });
  if (!layer) throw hostErrors.refused('create a layer', 'no layer was created');
  await withImageData(
    fromEightBit(image.data, componentSize(doc)),
    { width: image.width, height: image.height, components: 4, chunky: true, colorSpace: 'RGB' },
    (imageData) => imaging.putPixels({ documentID: doc.id, layerID: layer.id, imageData, replace: true, targetBounds: { ...placement } }),
  );
  return layer;
}

async function writeVariationLayer(doc: Document, variation: VariationToWrite): Promise<Layer> {
  const layer = await writePixelLayer(doc, variation.layerName, variation.image, variation.placement);
  // A full-document mask: what putLayerMask leaves outside targetBounds is undocumented, so nothing is left to it.
  const canvas = { left: 0, top: 0, width: doc.width, height: doc.height };
  const mask = placeGray(variation.layerMask, variation.placement, canvas);
  await withImageData(
    fromEightBit(mask.data, componentSize(doc)),
    { width: mask.width, height: mask.height, components: 1, chunky: true, colorSpace: 'Grayscale' },
    (imageData) => imaging.putLayerMask({ documentID: doc.id, layerID: layer.id, imageData, replace: true }),
  );
  return layer;
}
