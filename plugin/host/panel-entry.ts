/** Registers the panel with Photoshop: the one place the panel's lifecycle hooks meet 'uxp'. */
import { entrypoints } from 'uxp';

/** The panel entrypoint's id in manifest.json. */
export const PANEL_ID = 'diffusionBrush';

export interface PanelLifecycle {
  create(root: HTMLElement): void;
  destroy(): void;
}

// The typings model setup()'s argument as arrays with every hook required; Photoshop takes a map of
// panel ids to the hooks a panel uses (Adobe's entrypoints reference), so the object is passed as is.
type SetupArgument = Parameters<typeof entrypoints.setup>[0];

/** Call once, synchronously at startup (UXP requires it). */
export function registerPanel(lifecycle: PanelLifecycle): void {
  entrypoints.setup({
    panels: {
      [PANEL_ID]: {
        create: (root: HTMLElement) => lifecycle.create(root),
        destroy: () => lifecycle.destroy(),
      },
    },
  } as unknown as SetupArgument);
}
