/** The plugin's entry: Photoshop calls the panel's lifecycle hooks; everything else is the controller's. */
import { entrypoints } from 'uxp';
import { photoshopHost } from './host';
import { PanelController } from './controller';

const controller = new PanelController(photoshopHost);

// The typings model setup()'s argument as arrays with every hook required; Photoshop takes a map of
// panel ids to the hooks a panel uses (Adobe's entrypoints reference), so the object is passed as is.
type SetupArgument = Parameters<typeof entrypoints.setup>[0];

entrypoints.setup({
  panels: {
    diffusionBrush: {
      create(root: HTMLElement) {
        controller.mount(root);
      },
      destroy() {
        controller.unmount();
      },
    },
  },
} as unknown as SetupArgument);
