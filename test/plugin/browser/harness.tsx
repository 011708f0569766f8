/**
 * The panel in a web page: the real controller, UI and host code, with Photoshop replaced by the
 * fakes (aliased by webpack.config.js) and drawn next to the panel — the composite on a canvas, the
 * layer stack and the history — so a test can see what an edit wrote. Spectrum widgets come from
 * the shim. The companion URL comes from the page's query (?companion=ws://127.0.0.1:PORT).
 */
import { fakePhotoshop, type FakeDocument, type FakeLayer } from '../fakes/photoshop';
import { photoshopHost } from '../../../plugin/host';
import { PanelController } from '../../../plugin/controller';
import { defineSpectrumShim, SPECTRUM_TEXT_STYLE } from './spectrum-shim';

/** Photoshop's dark theme, as UXP exposes it to panels. */
const HOST_THEME = `
  :root {
    --uxp-host-background-color: #323232;
    --uxp-host-text-color: #d6d6d6;
    --uxp-host-border-color: #4a4a4a;
    --uxp-host-font-size: 12px;
  }
  body { display: flex; gap: 16px; margin: 0; background: #1d1d1d; font: 12px system-ui, sans-serif; color: #d6d6d6; }
  #panel { width: 300px; min-height: 100vh; background: var(--uxp-host-background-color); }
  #document { padding: 8px; }
  #document canvas { background: repeating-conic-gradient(#666 0 25%, #999 0 50%) 0 0 / 16px 16px; }
  #layers li.hidden { opacity: .5; }
`;

function installStyles(): void {
  const style = document.createElement('style');
  style.textContent = HOST_THEME + SPECTRUM_TEXT_STYLE;
  document.head.appendChild(style);
  const panelStyles = document.createElement('link');
  panelStyles.rel = 'stylesheet';
  panelStyles.href = 'styles.css';
  document.head.appendChild(panelStyles);
}

/** Photoshop hands the panel JPEGs; here the browser's canvas encodes them. */
function installJpegEncoder(): void {
  fakePhotoshop.imageEncoder.encode = (rgb, width, height) => {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d')!;
    const image = context.createImageData(width, height);
    for (let p = 0, q = 0; p < rgb.length; p += 3, q += 4) {
      image.data.set([rgb[p], rgb[p + 1], rgb[p + 2], 255], q);
    }
    context.putImageData(image, 0, 0);
    return canvas.toDataURL('image/jpeg', 0.9).slice('data:image/jpeg;base64,'.length);
  };
}

/** A landscape to edit: sky, a sun and hills. */
function openLandscape(): FakeDocument {
  const doc = fakePhotoshop.openDocument({ title: 'landscape.psd', width: 480, height: 320 });
  doc.addLayer('Landscape', (x, y) => {
    const hill = 220 + 30 * Math.sin(x / 50);
    if (y > hill) return [0.2, 0.45 + 0.1 * Math.sin(x / 17), 0.2, 1];
    const sun = Math.hypot(x - 330, y - 110) < 40;
    return sun ? [1, 0.85, 0.3, 1] : [0.35 + y / 800, 0.55 + y / 900, 0.9, 1];
  });
  return doc;
}

function drawDocument(doc: FakeDocument): void {
  const canvas = document.querySelector<HTMLCanvasElement>('#document canvas')!;
  canvas.width = doc.width;
  canvas.height = doc.height;
  const composite = doc.composite();
  const image = new ImageData(doc.width, doc.height);
  for (let i = 0; i < composite.length; i++) image.data[i] = Math.round(composite[i] * 255);
  canvas.getContext('2d')!.putImageData(image, 0, 0);
  const selection = doc.selectionBounds();
  if (selection) {
    const context = canvas.getContext('2d')!;
    context.setLineDash([4, 3]);
    context.strokeStyle = '#fff';
    context.strokeRect(selection.left + 0.5, selection.top + 0.5, selection.right - selection.left - 1, selection.bottom - selection.top - 1);
  }
  const list = document.querySelector('#layers')!;
  list.innerHTML = '';
  const add = (layers: FakeLayer[], depth: number) => {
    for (const layer of layers) {
      const item = document.createElement('li');
      item.textContent = `${'\u00a0\u00a0'.repeat(depth)}${layer.layers ? '▸ ' : ''}${layer.name}${layer.mask ? ' [mask]' : ''}`;
      if (!layer.visible) item.className = 'hidden';
      list.appendChild(item);
      if (layer.layers) add(layer.layers, depth + 1);
    }
  };
  add(doc.layers, 0);
  document.querySelector('#history')!.textContent = `History: ${doc.historyStates.join(' › ')}`;
}

export interface HarnessLayer {
  name: string;
  depth: number;
  visible: boolean;
  isGroup: boolean;
  hasMask: boolean;
}

declare global {
  interface Window {
    harness: {
      selectEllipse(left: number, top: number, width: number, height: number, feather: number): void;
      layers(): HarnessLayer[];
      history(): string[];
      /** Deletes a layer as the user would, in the Layers panel. */
      deleteLayer(name: string): void;
      /** Draws the document now (it also redraws itself every 250 ms). */
      redraw(): void;
    };
  }
}

function main(): void {
  installStyles();
  defineSpectrumShim();
  installJpegEncoder();
  document.body.innerHTML = `<div id="panel"></div><div id="document"><canvas></canvas><ul id="layers"></ul><div id="history"></div></div>`;
  const doc = openLandscape();
  const companionUrl = new URLSearchParams(location.search).get('companion') ?? undefined;
  const controller = new PanelController(photoshopHost, { companionUrl, pollMs: 200 });
  controller.mount(document.querySelector<HTMLElement>('#panel')!);
  setInterval(() => drawDocument(doc), 250);
  drawDocument(doc);

  window.harness = {
    selectEllipse(left, top, width, height, feather) {
      const cx = left + width / 2, cy = top + height / 2;
      fakePhotoshop.select(doc, (x, y) => {
        // Signed distance to the ellipse's edge, in pixels (approximately), ramped over `feather`.
        const r = Math.hypot((x + 0.5 - cx) / (width / 2), (y + 0.5 - cy) / (height / 2));
        const inside = (1 - r) * Math.min(width, height) / 2;
        return feather > 0 ? Math.max(0, Math.min(1, inside / feather + 0.5)) : inside >= 0 ? 1 : 0;
      });
    },
    layers() {
      const out: HarnessLayer[] = [];
      const walk = (layers: FakeLayer[], depth: number) => {
        for (const layer of layers) {
          out.push({ name: layer.name, depth, visible: layer.visible, isGroup: layer.layers !== null, hasMask: layer.mask !== null });
          if (layer.layers) walk(layer.layers, depth + 1);
        }
      };
      walk(doc.layers, 0);
      return out;
    },
    history: () => doc.historyStates.slice(),
    redraw: () => drawDocument(doc),
    deleteLayer(name) {
      const layer = doc.allLayers().find((candidate) => candidate.name === name);
      if (!layer) throw new Error(`No layer named "${name}".`);
      doc.deleteByUser(layer);
    },
  };
}

main();
