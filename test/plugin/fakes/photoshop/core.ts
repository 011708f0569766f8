/**
 * executeAsModal and history suspension as Photoshop does them: one modal scope at a time (error
 * number 9 otherwise), suspensions that collapse all changes into one history state, and open
 * suspensions rolled back when the scope's function throws.
 */
import type { photoshopCore, ExecutionContext, HistorySuspension } from 'photoshop/dom/CoreModules';
import type { DocumentSnapshot, FakeDocument } from './document';
import { session, type ModalScope } from './session';

interface OpenSuspension {
  doc: FakeDocument;
  name: string;
  before: DocumentSnapshot;
}

class ModalBusyError extends Error {
  readonly number = 9;
  constructor() {
    super('host is in a modal state');
  }
}

const suspensions = new Map<number, OpenSuspension>();

function documentFor(documentID: number): FakeDocument {
  const doc = session.documents.find((d) => d.id === documentID);
  if (!doc) throw new Error(`No document with id ${documentID}.`);
  return doc;
}

function contextFor(scope: ModalScope): ExecutionContext {
  return {
    get isCancelled() {
      return scope.cancelled;
    },
    get onCancel() {
      return scope.onCancel;
    },
    set onCancel(handler) {
      scope.onCancel = handler;
    },
    reportProgress: () => undefined,
    hostControl: {
      async suspendHistory({ documentID, name }): Promise<HistorySuspension> {
        const doc = documentFor(documentID);
        if (doc.suspendedAt) throw new Error('History is already suspended for this document.');
        const id = session.newId();
        const before = doc.snapshot();
        doc.suspendedAt = before;
        suspensions.set(id, { doc, name, before });
        return { historySuspensionID: id };
      },
      async resumeHistory(params, commit = true) {
        const open = suspensions.get(params.historySuspensionID);
        if (!open) throw new Error(`No open history suspension ${params.historySuspensionID}.`);
        suspensions.delete(params.historySuspensionID);
        open.doc.suspendedAt = null;
        if (commit) open.doc.historyStates.push(params.finalName ?? open.name);
        else open.doc.restore(open.before);
      },
      registerAutoCloseDocument: async () => undefined,
      unregisterAutoCloseDocument: async () => undefined,
    },
  };
}

export const core: Pick<typeof photoshopCore, 'executeAsModal' | 'isModal'> = {
  async executeAsModal(targetFunction, options) {
    if (session.modal) throw new ModalBusyError();
    const scope: ModalScope = { commandName: options.commandName, cancelled: false, onCancel: undefined };
    session.modal = scope;
    try {
      return await targetFunction(contextFor(scope));
    } catch (error) {
      for (const [id, open] of suspensions) {
        suspensions.delete(id);
        open.doc.suspendedAt = null;
        open.doc.restore(open.before);
      }
      throw error;
    } finally {
      session.modal = null;
    }
  },
  isModal: () => session.modal !== null,
};

/** What pressing Esc on Photoshop's progress bar does to the running modal scope. */
export function cancelModalScope(): void {
  const scope = session.modal;
  if (!scope) return;
  scope.cancelled = true;
  scope.onCancel?.();
}
