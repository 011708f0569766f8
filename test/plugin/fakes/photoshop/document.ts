/**
 * Documents and layers with Photoshop's semantics: a layer stack where index 0 is the top, groups,
 * new layers created above the active layer, pixels and layer masks over the canvas, a selection
 * stored as soft per-pixel coverage, and history that a suspension collapses into one step.
 */
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';
import type * as Constants from 'photoshop/dom/Constants';
import type { GroupLayerCreateOptions, PixelLayerCreateOptions } from 'photoshop/dom/types/LayerTypes';
import { constants } from './constants';
import { requireModal, session } from './session';

export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

type Depth = 8 | 16 | 32;

export class FakeLayer implements Pick<Layer, 'id' | 'kind' | 'isBackgroundLayer'> {
  readonly id = session.newId();
  private layerName: string;
  private shown = true;
  parent: FakeLayer | null = null;
  readonly layers: FakeLayer[] | null;
  /** RGBA coverage 0..1 over the whole canvas; null for groups. */
  pixels: Float32Array | null;
  /** Gray 0..1 over the whole canvas, or null without a layer mask. */
  mask: Float32Array | null = null;
  xmp = '';
  isBackgroundLayer = false;

  constructor(readonly doc: FakeDocument, readonly kind: Constants.LayerKind, name: string) {
    this.layerName = name;
    this.layers = kind === constants.LayerKind.GROUP ? [] : null;
    this.pixels = kind === constants.LayerKind.GROUP ? null : new Float32Array(doc.width * doc.height * 4);
  }

  get name(): Layer['name'] {
    return this.layerName;
  }
  set name(name: Layer['name']) {
    requireModal('set name');
    this.layerName = name;
    this.doc.recordChange('Rename Layer');
  }
  get visible(): Layer['visible'] {
    return this.shown;
  }
  set visible(visible: Layer['visible']) {
    requireModal('set visible');
    this.shown = visible;
    this.doc.recordChange(visible ? 'Show Layer' : 'Hide Layer');
  }

  /** Like Layer.selected: selecting adds the layer to the document's active layers, deselecting removes it. */
  get selected(): Layer['selected'] {
    return this.doc.activeLayers.includes(this);
  }
  set selected(select: Layer['selected']) {
    requireModal('set selected');
    const others = this.doc.activeLayers.filter((layer) => layer !== this);
    this.doc.activeLayers = select ? [this, ...others] : others;
  }

  /** Like Layer.move: PLACEBEFORE puts this layer directly above `relative`, in relative's group. */
  move(relative: FakeLayer, placement: Constants.ElementPlacement): void {
    requireModal('move');
    if (!this.doc.contains(this) || !this.doc.contains(relative)) throw new Error('The object you are trying to use no longer exists');
    this.doc.detach(this);
    const siblings = this.doc.siblingsOf(relative);
    const at = siblings.indexOf(relative);
    if (placement === constants.ElementPlacement.PLACEBEFORE) siblings.splice(at, 0, this);
    else if (placement === constants.ElementPlacement.PLACEAFTER) siblings.splice(at + 1, 0, this);
    else throw new Error(`The fake does not implement move placement ${placement}.`);
    this.parent = relative.parent;
    this.doc.recordChange('Move Layer');
  }

  /** Like Layer.bounds: the box around the layer's pixels (all zero for an empty layer; a group's spans its layers). */
  get bounds(): Rect {
    const boxes = (this.layers ?? [this]).map((layer) => (layer.layers ? layer.bounds : layer.contentBounds())).filter((box): box is Rect => box !== null && box.right > box.left);
    if (boxes.length === 0) return { left: 0, top: 0, right: 0, bottom: 0 };
    return {
      left: Math.min(...boxes.map((b) => b.left)),
      top: Math.min(...boxes.map((b) => b.top)),
      right: Math.max(...boxes.map((b) => b.right)),
      bottom: Math.max(...boxes.map((b) => b.bottom)),
    };
  }

  /** Contents the way getPixels sees them: the box around pixels with any coverage. */
  contentBounds(): Rect | null {
    if (!this.pixels) return null;
    const { width, height } = this.doc;
    let left = width, top = height, right = 0, bottom = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (this.pixels[(y * width + x) * 4 + 3] > 0) {
          left = Math.min(left, x); right = Math.max(right, x + 1);
          top = Math.min(top, y); bottom = Math.max(bottom, y + 1);
        }
      }
    }
    return right > left ? { left, top, right, bottom } : null;
  }

  snapshot(): LayerSnapshot {
    return {
      layer: this, name: this.layerName, shown: this.shown, parent: this.parent, xmp: this.xmp,
      pixels: this.pixels?.slice() ?? null, mask: this.mask?.slice() ?? null, layers: this.layers?.slice() ?? null,
    };
  }

  restore(saved: LayerSnapshot): void {
    this.layerName = saved.name; this.shown = saved.shown; this.parent = saved.parent; this.xmp = saved.xmp;
    this.pixels = saved.pixels; this.mask = saved.mask;
    if (this.layers && saved.layers) this.layers.splice(0, this.layers.length, ...saved.layers);
  }
}

interface LayerSnapshot {
  layer: FakeLayer;
  name: string;
  shown: boolean;
  parent: FakeLayer | null;
  xmp: string;
  pixels: Float32Array | null;
  mask: Float32Array | null;
  layers: FakeLayer[] | null;
}

export interface DocumentSnapshot {
  layers: FakeLayer[];
  saved: LayerSnapshot[];
  active: FakeLayer[];
}

export class FakeDocument implements Pick<Document, 'id' | 'title' | 'width' | 'height' | 'mode' | 'bitsPerChannel'> {
  readonly id = session.newId();
  readonly layers: FakeLayer[] = [];
  activeLayers: FakeLayer[] = [];
  /** Selection coverage 0..1 per canvas pixel, or null when nothing is selected. */
  selectionCoverage: Float32Array | null = null;
  readonly historyStates: string[] = ['Open'];
  /** Set while a history suspension is open: changes then collapse into the suspension's one state. */
  suspendedAt: DocumentSnapshot | null = null;
  mode: Constants.DocumentMode = constants.DocumentMode.RGB;

  constructor(
    readonly title: string,
    readonly width: number,
    readonly height: number,
    readonly bitsPerChannel: Constants.BitsPerChannelType,
  ) {}

  get depth(): Depth {
    return this.bitsPerChannel === constants.BitsPerChannelType.SIXTEEN ? 16 : this.bitsPerChannel === constants.BitsPerChannelType.THIRTYTWO ? 32 : 8;
  }

  /** Like Document.selection: bounds is the box around selected pixels, or null without a selection. */
  get selection(): { readonly bounds: Rect | null } {
    const bounds = this.selectionBounds();
    return { bounds };
  }

  selectionBounds(): Rect | null {
    const coverage = this.selectionCoverage;
    if (!coverage) return null;
    let left = this.width, top = this.height, right = 0, bottom = 0;
    for (let y = 0; y < this.height; y++) {
      for (let x = 0; x < this.width; x++) {
        if (coverage[y * this.width + x] > 0) {
          left = Math.min(left, x); right = Math.max(right, x + 1);
          top = Math.min(top, y); bottom = Math.max(bottom, y + 1);
        }
      }
    }
    return right > left ? { left, top, right, bottom } : null;
  }

  async createPixelLayer(options?: PixelLayerCreateOptions): Promise<FakeLayer | null> {
    requireModal('createPixelLayer');
    const layer = new FakeLayer(this, constants.LayerKind.NORMAL, options?.name ?? `Layer ${this.allLayers().length + 1}`);
    this.insertAboveActive(layer);
    this.activeLayers = [layer];
    this.recordChange('New Layer');
    return layer;
  }

  /** Like Document.createLayerGroup: the group takes the place of the topmost grouped layer. */
  async createLayerGroup(options?: Omit<GroupLayerCreateOptions, 'fromLayers'> & { fromLayers?: FakeLayer | FakeLayer[] }): Promise<FakeLayer | null> {
    requireModal('createLayerGroup');
    const group = new FakeLayer(this, constants.LayerKind.GROUP, options?.name ?? 'Group 1');
    const members = options?.fromLayers === undefined ? [] : Array.isArray(options.fromLayers) ? options.fromLayers : [options.fromLayers];
    if (members.length === 0) this.insertAboveActive(group);
    else {
      const ordered = this.allLayers().filter((layer) => members.includes(layer));
      const top = ordered[0];
      const siblings = this.siblingsOf(top);
      siblings.splice(siblings.indexOf(top), 0, group);
      group.parent = top.parent;
      for (const member of ordered) {
        this.detach(member);
        group.layers!.push(member);
        member.parent = group;
      }
    }
    this.activeLayers = [group];
    this.recordChange('Group Layers');
    return group;
  }

  /** A Background-free starting layer with pixels, for tests to build documents. */
  addLayer(name: string, fill: (x: number, y: number) => [number, number, number, number] | null): FakeLayer {
    const layer = new FakeLayer(this, constants.LayerKind.NORMAL, name);
    for (let y = 0; y < this.height; y++) {
      for (let x = 0; x < this.width; x++) {
        const rgba = fill(x, y);
        if (rgba) layer.pixels!.set(rgba, (y * this.width + x) * 4);
      }
    }
    this.layers.unshift(layer);
    this.activeLayers = [layer];
    return layer;
  }

  /** Every layer, top to bottom, depth first (groups before their contents). */
  allLayers(): FakeLayer[] {
    const out: FakeLayer[] = [];
    const walk = (layers: FakeLayer[]) => {
      for (const layer of layers) {
        out.push(layer);
        if (layer.layers) walk(layer.layers);
      }
    };
    walk(this.layers);
    return out;
  }

  contains(layer: FakeLayer): boolean {
    return this.allLayers().includes(layer);
  }

  siblingsOf(layer: FakeLayer): FakeLayer[] {
    return layer.parent ? layer.parent.layers! : this.layers;
  }

  detach(layer: FakeLayer): void {
    const siblings = this.siblingsOf(layer);
    siblings.splice(siblings.indexOf(layer), 1);
  }

  /** Deletes a layer the way a user would, outside any plugin's modal scope. */
  deleteByUser(layer: FakeLayer): void {
    this.detach(layer);
    this.activeLayers = this.activeLayers.filter((active) => active !== layer);
    this.historyStates.push('Delete Layer');
  }

  private insertAboveActive(layer: FakeLayer): void {
    const active = this.activeLayers[0];
    if (!active || !this.contains(active)) {
      this.layers.unshift(layer);
      return;
    }
    const siblings = this.siblingsOf(active);
    siblings.splice(siblings.indexOf(active), 0, layer);
    layer.parent = active.parent;
  }

  /** Each change is a history state of its own, unless a suspension collects them. */
  recordChange(name: string): void {
    if (!this.suspendedAt) this.historyStates.push(name);
  }

  snapshot(): DocumentSnapshot {
    return { layers: this.layers.slice(), saved: this.allLayers().map((layer) => layer.snapshot()), active: this.activeLayers.slice() };
  }

  restore(saved: DocumentSnapshot): void {
    this.layers.splice(0, this.layers.length, ...saved.layers);
    for (const layerState of saved.saved) layerState.layer.restore(layerState);
    this.activeLayers = saved.active;
  }

  /** The visible image as RGBA 0..1 (layers over transparency, masks and group visibility applied). */
  composite(): Float32Array {
    const out = new Float32Array(this.width * this.height * 4);
    const paint = (layers: FakeLayer[]) => {
      for (const layer of [...layers].reverse()) {
        if (!layer.visible) continue;
        if (layer.layers) paint(layer.layers);
        else if (layer.pixels) blendOver(out, layer.pixels, layer.mask);
      }
    };
    paint(this.layers);
    return out;
  }
}

function blendOver(under: Float32Array, over: Float32Array, mask: Float32Array | null): void {
  for (let p = 0, i = 0; p < under.length; p += 4, i++) {
    const a = over[p + 3] * (mask ? mask[i] : 1);
    if (a === 0) continue;
    const b = under[p + 3] * (1 - a);
    const alpha = a + b;
    for (let c = 0; c < 3; c++) under[p + c] = (over[p + c] * a + under[p + c] * b) / alpha;
    under[p + 3] = alpha;
  }
}
