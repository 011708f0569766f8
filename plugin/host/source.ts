/** Reads the context crop of the edit's source: one layer, or the merged visible image. */
import { constants, imaging } from 'photoshop';
import { Bounds } from '../../companion-server/engine/geometry';
import { toEightBit } from '../imaging/depth';
import { edgesFromRect, rectFromEdges, type PixelRect } from '../imaging/geometry';
import { toRgba, type RgbaImage } from '../imaging/pixels';
import { documentById, findLayer, type Document, type LayerRef } from './document';
import { hostErrors } from './errors';
import { readImageData } from './image-data';

/** The pixels the edit starts from. */
export type SourceChoice = { kind: 'layer'; layer: LayerRef } | { kind: 'merged' };

export interface SourceCrop {
  image: RgbaImage;
  /** Where `image` lies on the canvas: Photoshop may return less than was asked (a layer smaller than the crop). */
  bounds: PixelRect;
}

export async function readSourceCrop(documentId: number, source: SourceChoice, crop: PixelRect): Promise<SourceCrop> {
  const doc = documentById(documentId);
  if (!doc) throw hostErrors.documentGone();
  if (source.kind === 'layer') requireReadableLayer(doc, source.layer, crop);

  const { imageData, sourceBounds } = await imaging.getPixels({
    documentID: documentId,
    ...(source.kind === 'layer' ? { layerID: source.layer.id } : {}),
    sourceBounds: edgesFromRect(crop),
    // The engine works in 8-bit sRGB-ish RGB; Photoshop converts 16- and 32-bit documents on the way out.
    componentSize: 8,
    colorSpace: 'RGB',
  });
  const bytes = await readImageData(imageData);
  const bounds = rectFromEdges(sourceBounds);
  const eightBit = toEightBit(bytes.data, bytes.componentSize);
  return { image: toRgba(eightBit, bytes.width, bytes.height, bytes.components), bounds };
}

/** A layer the crop can be read from: it still exists, holds pixels of its own, and some of them in the crop. */
function requireReadableLayer(doc: Document, source: LayerRef, crop: PixelRect): void {
  const layer = findLayer(doc.layers, source.id);
  if (!layer) throw hostErrors.sourceGone(source.name);
  if (layer.kind === constants.LayerKind.GROUP) throw hostErrors.sourceIsGroup(layer.name);
  if (Bounds.from(rectFromEdges(layer.bounds)).intersect(crop).isEmpty) throw hostErrors.sourceEmpty(layer.name);
}
