/** The panel: connection, masks, settings, then the job with its previews and results. */
import { useSyncExternalStore } from 'react';
import type { PanelController } from '../controller';
import { ConnectionSection } from './ConnectionSection';
import { JobSection } from './JobSection';
import { MasksSection } from './MasksSection';
import { SettingsSection } from './SettingsSection';

export function App({ controller }: { controller: PanelController }) {
  const state = useSyncExternalStore(controller.store.subscribe, controller.store.get);
  return (
    <>
      <ConnectionSection controller={controller} connection={state.connection} />
      <sp-divider size="s" />
      <MasksSection controller={controller} masks={state.masks} document={state.document} steps={state.globals.steps} />
      <sp-divider size="s" />
      <SettingsSection controller={controller} globals={state.globals} />
      <sp-divider size="s" />
      <JobSection controller={controller} state={state} />
    </>
  );
}
