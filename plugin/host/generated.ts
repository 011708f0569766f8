/** Writes a generated image as a new layer that carries its generation parameters. */
import { type GenerationRecord } from '../generation-record';
import type { RgbaImage } from '../imaging/pixels';
import { documentById, moveToTop } from './document';
import { hostErrors } from './errors';
import { writeGenerationRecord } from './layer-metadata';
import { asOneHistoryStep, throwIfCancelled } from './modal';
import { writePixelLayer } from './results';

export interface GeneratedImageToWrite {
  documentId: number;
  layerName: string;
  image: RgbaImage;
  record: GenerationRecord;
  isCancelled: () => boolean;
}

export function writeGeneratedLayer(generated: GeneratedImageToWrite): Promise<number> {
  return asOneHistoryStep({ documentId: generated.documentId, name: generated.layerName }, async (context) => {
    const doc = documentById(generated.documentId);
    if (!doc) throw hostErrors.documentGone();
    throwIfCancelled(context, generated.isCancelled);
    const layer = await writePixelLayer(doc, generated.layerName, generated.image, generated.record.placement);
    moveToTop(doc, layer);
    await writeGenerationRecord(doc.id, layer.id, generated.record);
    return layer.id;
  });
}
