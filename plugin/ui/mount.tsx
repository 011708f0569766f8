/** Puts the panel's React tree into the panel's root element (React 18 createRoot). */
import { createRoot, type Root } from 'react-dom/client';
import type { PanelController } from '../controller';
import { App } from './App';

export function mountPanel(container: HTMLElement, controller: PanelController): Root {
  const element = document.createElement('div');
  element.className = 'panel';
  container.appendChild(element);
  const root = createRoot(element);
  root.render(<App controller={controller} />);
  return root;
}
