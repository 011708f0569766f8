/** The plugin's entry: Photoshop calls the panel's lifecycle hooks; everything else is the controller's. */
import { photoshopHost, registerPanel } from './host';
import { PanelController } from './controller';

const controller = new PanelController(photoshopHost);

registerPanel({
  create: (root) => controller.mount(root),
  destroy: () => controller.unmount(),
});
