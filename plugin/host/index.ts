/**
 * Everything the panel asks of Photoshop, in one object: the controller receives it, so the rest of
 * the panel never imports 'photoshop' or 'uxp' and tests can hand it the same code running on fakes.
 */
import { app } from 'photoshop';
import { componentSize, type LayerRef } from './document';
import { writeGeneratedLayer } from './generated';
import { readGenerationRecord } from './layer-metadata';
import { encodeMaskPicture, encodeRgbaPicture } from './preview';
import { writeEdit } from './results';
import { readSelectionMask } from './selection';
import { readSourceCrop } from './source';
import { forgetToken, loadToken, saveToken } from './token-store';

export interface DocumentInfo {
  documentId: number;
  title: string;
  width: number;
  height: number;
  bitsPerChannel: number;
  /** The topmost selected layer, the default source of an edit. */
  activeLayer: LayerRef | null;
  hasSelection: boolean;
}

/** The active document as the panel shows it, or null when none is open. */
function describeActiveDocument(): DocumentInfo | null {
  const doc = app.activeDocument ?? null;
  if (!doc) return null;
  const active = doc.activeLayers[0];
  return {
    documentId: doc.id,
    title: doc.title,
    width: doc.width,
    height: doc.height,
    bitsPerChannel: componentSize(doc),
    activeLayer: active ? { id: active.id, name: active.name } : null,
    hasSelection: doc.selection.bounds !== null,
  };
}

export const photoshopHost = {
  describeActiveDocument,
  readSelectionMask,
  readSourceCrop,
  writeEdit,
  writeGeneratedLayer,
  readGenerationRecord,
  encodeRgbaPicture,
  encodeMaskPicture,
  loadToken,
  saveToken,
  forgetToken,
};

export type Host = typeof photoshopHost;
export { HostError } from './errors';
export { PANEL_ID, registerPanel, type PanelLifecycle } from './panel-entry';
export type { LayerRef } from './document';
export type { SelectionMask } from './selection';
export type { SourceChoice, SourceCrop } from './source';
export type { EditToWrite, VariationToWrite, WrittenEdit } from './results';
export type { GeneratedImageToWrite } from './generated';
