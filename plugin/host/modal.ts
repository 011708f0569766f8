/**
 * Document changes happen only here: inside executeAsModal, wrapped in one suspended history state,
 * so one edit is one undo step and a failure leaves the document exactly as it was.
 */
import { core } from 'photoshop';
import type { ExecutionContext } from 'photoshop/dom/CoreModules';
import { documentById } from './document';
import { hostErrors, HostError } from './errors';

/** Photoshop's error number when another plugin or a dialog holds the modal state. */
const MODAL_STATE_BUSY = 9;

export interface HistoryStep {
  documentId: number;
  /** Shown in the History panel and in Edit > Undo. */
  name: string;
}

export async function asOneHistoryStep<T>(step: HistoryStep, write: (context: ExecutionContext) => Promise<T>): Promise<T> {
  try {
    return await core.executeAsModal(
      async (context) => {
        // The network round trip ran outside any modal scope: the document may have been closed meanwhile.
        if (!documentById(step.documentId)) throw hostErrors.documentGone();
        const suspension = await context.hostControl.suspendHistory({ documentID: step.documentId, name: step.name });
        let result: T;
        try {
          result = await write(context);
        } catch (error) {
          // Drop everything written so far: the document returns to its state before the edit.
          await context.hostControl.resumeHistory(suspension, false);
          throw error;
        }
        await context.hostControl.resumeHistory(suspension, true);
        return result;
      },
      { commandName: step.name },
    );
  } catch (error) {
    if (error instanceof HostError) throw error;
    if ((error as { number?: number }).number === MODAL_STATE_BUSY) throw hostErrors.busy();
    throw hostErrors.refused(`apply "${step.name}"`, error instanceof Error ? error.message : String(error));
  }
}

/** Photoshop's own cancel (Esc on its progress bar) or the panel's, checked between writes. */
export function throwIfCancelled(context: ExecutionContext, panelCancelled: () => boolean): void {
  if (context.isCancelled || panelCancelled()) throw hostErrors.cancelled();
}
