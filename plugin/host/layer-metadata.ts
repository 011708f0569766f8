/**
 * A layer's XMP packet, read and written through batchPlay's XMPMetadataAsUTF8 property (layer-level
 * XMP is not in Adobe's DOM; the descriptor is the one plugins use in the wild, so every result is
 * checked: batchPlay reports failures as {_obj: "error"} instead of rejecting).
 */
import { action } from 'photoshop';
import { generationFromXmp, generationToXmp, type GenerationRecord } from '../generation-record';
import { hostErrors } from './errors';

function layerReference(documentId: number, layerId: number) {
  return [
    { _ref: 'layer', _id: layerId },
    { _ref: 'document', _id: documentId },
  ];
}

export async function readGenerationRecord(documentId: number, layerId: number): Promise<GenerationRecord | null> {
  const [result] = await action.batchPlay(
    [{ _obj: 'get', _target: [{ _property: 'XMPMetadataAsUTF8' }, ...layerReference(documentId, layerId)] }],
    {},
  );
  const xmp = (result as { XMPMetadataAsUTF8?: unknown } | undefined)?.XMPMetadataAsUTF8;
  return typeof xmp === 'string' ? generationFromXmp(xmp) : null;
}

/** Must run inside a modal scope, like every document change. */
export async function writeGenerationRecord(documentId: number, layerId: number, record: GenerationRecord): Promise<void> {
  const [result] = await action.batchPlay(
    [
      {
        _obj: 'set',
        _target: [{ _ref: 'property', _property: 'XMPMetadataAsUTF8' }, ...layerReference(documentId, layerId)],
        to: { _obj: 'layer', XMPMetadataAsUTF8: generationToXmp(record) },
      },
    ],
    {},
  );
  const failure = result as { _obj?: string; message?: string } | undefined;
  if (failure?._obj === 'error') throw hostErrors.refused('store the generation parameters with the layer', failure.message ?? 'unknown error');
}
