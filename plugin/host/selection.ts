/**
 * The selection becomes a brush mask: a soft 8-bit gray image over the selection's bounding box,
 * so feathered edges survive. Only that box is read, never the whole canvas.
 */
import { imaging } from 'photoshop';
import type { GrayImage } from '../imaging/pixels';
import { isEmptyMask } from '../imaging/pixels';
import { toEightBit, type ComponentSize } from '../imaging/depth';
import { Bounds } from '../../companion-server/engine/geometry';
import { edgesFromRect, rectFromEdges, snapOutward, type PixelRect } from '../imaging/geometry';
import { activeDocument } from './document';
import { hostErrors } from './errors';
import { readImageData } from './image-data';

export interface SelectionMask {
  documentId: number;
  /** Where the mask sits on the canvas. */
  bounds: PixelRect;
  mask: GrayImage;
}

export async function readSelectionMask(): Promise<SelectionMask> {
  const doc = activeDocument();
  // selection.bounds is null without a selection (Photoshop 25+); getSelection's own behaviour then is undocumented.
  const selected = doc.selection.bounds;
  if (!selected) throw hostErrors.noSelection();
  // A selection may reach past the canvas; only the canvas part has pixels to edit.
  const bounds = Bounds.from(rectFromEdges(snapOutward(selected))).clamp(doc);
  if (bounds.isEmpty) throw hostErrors.noSelection();

  const { imageData, sourceBounds } = await imaging.getSelection({ documentID: doc.id, sourceBounds: edgesFromRect(bounds) });
  const { data, componentSize } = await readImageData(imageData);
  // Place by the bounds Photoshop returned, which may be trimmed relative to the request.
  const returned = rectFromEdges(sourceBounds);
  const mask: GrayImage = { width: returned.width, height: returned.height, data: toEightBit(data, componentSize as ComponentSize) };
  if (isEmptyMask(mask)) throw hostErrors.noSelection();
  return { documentId: doc.id, bounds: returned, mask };
}
