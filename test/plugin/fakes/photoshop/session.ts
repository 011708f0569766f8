/**
 * The fake Photoshop's global state: open documents, the modal scope, history and the live image
 * data. Like Photoshop, every document change outside executeAsModal is refused.
 */
import type { FakeDocument } from './document';

export interface ModalScope {
  commandName: string;
  cancelled: boolean;
  onCancel: ((reason?: unknown) => void) | undefined;
}

export const session = {
  documents: [] as FakeDocument[],
  activeDocument: null as FakeDocument | null,
  modal: null as ModalScope | null,
  nextId: 1,
  liveImageData: 0,
  reset(): void {
    this.documents = [];
    this.activeDocument = null;
    this.modal = null;
    this.nextId = 1;
    this.liveImageData = 0;
  },
  newId(): number {
    return this.nextId++;
  },
};

/** Photoshop's wording when a plugin changes a document outside a modal scope. */
export function requireModal(what: string): void {
  if (!session.modal) {
    throw new Error(`Event: ${what} may modify the state of Photoshop. Such events are only allowed from inside a modal scope`);
  }
}
