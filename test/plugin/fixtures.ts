/** Documents for the host tests, built on the Photoshop fake. */
import { fakePhotoshop, type FakeDocument, type FakeLayer } from './fakes/photoshop';

export interface Scene {
  doc: FakeDocument;
  photo: FakeLayer;
}

/** A document with one opaque "Photo" layer holding a gradient, and a rectangle selected (hard or feathered edges). */
export function photoScene(options: { width?: number; height?: number; depth?: 8 | 16 | 32; feather?: number } = {}): Scene {
  fakePhotoshop.reset();
  const width = options.width ?? 64;
  const height = options.height ?? 48;
  const doc = fakePhotoshop.openDocument({ title: 'photo.psd', width, height, depth: options.depth });
  const photo = doc.addLayer('Photo', (x, y) => [x / width, y / height, 0.5, 1]);
  selectRect(doc, { left: 20, top: 10, width: 16, height: 12 }, options.feather ?? 0);
  return { doc, photo };
}

/** Selects a rectangle; with feather > 0 coverage ramps linearly over that many pixels inside its edge. */
export function selectRect(doc: FakeDocument, rect: { left: number; top: number; width: number; height: number }, feather: number): void {
  fakePhotoshop.select(doc, (x, y) => {
    const inside = Math.min(x - rect.left, rect.left + rect.width - 1 - x, y - rect.top, rect.top + rect.height - 1 - y);
    if (inside < 0) return 0;
    return feather > 0 ? Math.min(1, (inside + 1) / (feather + 1)) : 1;
  });
}

/** Every layer's pixels, mask, name and visibility, to prove an operation left them alone. */
export function layerFingerprint(layers: FakeLayer[]): string[] {
  return layers.map((layer) => `${layer.id}:${layer.name}:${layer.visible}:${sum(layer.pixels)}:${sum(layer.mask)}`);
}

function sum(values: Float32Array | null): number {
  if (!values) return -1;
  let total = 0;
  for (const v of values) total += v;
  return total;
}
