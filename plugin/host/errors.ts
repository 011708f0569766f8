/**
 * What can go wrong on the Photoshop side, each with a sentence that names the problem and the fix.
 * The panel shows `message` as is.
 */
export type HostErrorCode =
  | 'no-document'
  | 'no-selection'
  | 'unsupported-document'
  | 'document-gone'
  | 'source-gone'
  | 'unsupported-source'
  | 'photoshop-busy'
  | 'cancelled'
  | 'photoshop-refused';

export class HostError extends Error {
  constructor(readonly code: HostErrorCode, message: string) {
    super(message);
    this.name = 'HostError';
  }
}

export const hostErrors = {
  noDocument: () => new HostError('no-document', 'No document is open. Open or create an RGB document, then try again.'),
  noSelection: () =>
    new HostError('no-selection', 'Nothing is selected. Select the area to repaint (any selection tool; feathering is kept), then press "Add from selection".'),
  unsupportedMode: (mode: string) =>
    new HostError('unsupported-document', `The document is in ${mode}. Diffusion Brush works on RGB documents: convert with Image > Mode > RGB Color.`),
  documentGone: () => new HostError('document-gone', 'The document was closed while the edit ran. Nothing was written; open it again and brush again.'),
  sourceGone: (name: string) =>
    new HostError('source-gone', `The source layer "${name}" was deleted while the edit ran. Nothing was written; pick a layer and brush again.`),
  sourceIsGroup: (name: string) =>
    new HostError('unsupported-source', `The active layer "${name}" is a group. Select a pixel layer in the Layers panel, or choose "Merged visible" as the source.`),
  sourceEmpty: (name: string) =>
    new HostError('unsupported-source', `The layer "${name}" has no pixels around the selection. Select the layer that holds the image there, or choose "Merged visible" as the source.`),
  busy: () => new HostError('photoshop-busy', 'Photoshop is busy with another modal operation (a dialog or another plugin). Finish it, then try again.'),
  cancelled: () => new HostError('cancelled', 'Cancelled: nothing was written to the document.'),
  refused: (what: string, message: string) => new HostError('photoshop-refused', `Photoshop refused to ${what}: ${message}. Save your work and try again.`),
};
