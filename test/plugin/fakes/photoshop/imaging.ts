/**
 * The Imaging API over the fake documents, keeping what the host relies on: returned bounds trimmed
 * to pixels that exist, one-component selections at the document's depth (16-bit is 0..32768),
 * buffers whose length must match, image data that must be disposed, and writes only in a modal scope.
 */
import type { imaging as Imaging } from 'photoshop/dom/ImagingModule';
import type { FakeDocument, FakeLayer, Rect } from './document';
import { requireModal, session } from './session';

type Buffer = Uint8Array | Uint16Array | Float32Array;
type Depth = 8 | 16 | 32;

const SIXTEEN_BIT_WHITE = 32768;

export class FakeImageData implements Imaging.PhotoshopImageData {
  private disposed = false;
  readonly colorProfile = '';
  readonly chunky = true;
  readonly type = 'image/uncompressed' as const;

  constructor(
    private readonly buffer: Buffer,
    readonly width: number,
    readonly height: number,
    readonly components: number,
    readonly colorSpace: Imaging.ColorSpace,
  ) {
    if (buffer.length !== width * height * components) {
      throw new Error(`Buffer length ${buffer.length} does not match ${width}x${height}x${components}.`);
    }
    session.liveImageData++;
  }

  get componentSize(): 8 | 16 | 32 {
    return this.buffer instanceof Uint8Array ? 8 : this.buffer instanceof Uint16Array ? 16 : 32;
  }
  get hasAlpha(): boolean {
    return this.components === 2 || this.components === 4;
  }
  get pixelFormat(): Imaging.PixelFormat {
    const formats: Record<number, Imaging.PixelFormat> = { 1: 'Grayscale', 2: 'GrayscaleAlpha', 3: 'RGB', 4: 'RGBA' };
    return formats[this.components];
  }

  getData = async (_options: Imaging.GetDataOptions): Promise<Buffer> => {
    if (this.disposed) throw new Error('The image data has been disposed.');
    return this.buffer.slice();
  };

  /** Typed as a Promise, synchronous in Photoshop: the flag flips before the promise is even looked at. */
  dispose = (): Promise<void> => {
    if (!this.disposed) {
      this.disposed = true;
      session.liveImageData--;
    }
    return Promise.resolve();
  };

  /** The buffer, for the fake's own writes (putPixels and friends read it without getData). */
  read(): Buffer {
    if (this.disposed) throw new Error('The image data has been disposed.');
    return this.buffer;
  }
}

function documentFor(documentID: number | undefined): FakeDocument {
  const doc = documentID === undefined ? session.activeDocument : session.documents.find((d) => d.id === documentID);
  if (!doc) throw new Error(`No document with id ${documentID}.`);
  return doc;
}

function layerFor(doc: FakeDocument, layerID: number): FakeLayer {
  const layer = doc.allLayers().find((l) => l.id === layerID);
  if (!layer) throw new Error(`No layer with id ${layerID}.`);
  return layer;
}

function intersect(a: Rect, b: Rect): Rect | null {
  const r = { left: Math.max(a.left, b.left), top: Math.max(a.top, b.top), right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom) };
  return r.right > r.left && r.bottom > r.top ? r : null;
}

function canvasOf(doc: FakeDocument): Rect {
  return { left: 0, top: 0, right: doc.width, bottom: doc.height };
}

function encode(value01: number, depth: Depth): number {
  return depth === 8 ? Math.round(value01 * 255) : depth === 16 ? Math.round(value01 * SIXTEEN_BIT_WHITE) : value01;
}

function decode(value: number, depth: Depth): number {
  return depth === 8 ? value / 255 : depth === 16 ? value / SIXTEEN_BIT_WHITE : value;
}

function allocate(length: number, depth: Depth): Buffer {
  return depth === 8 ? new Uint8Array(length) : depth === 16 ? new Uint16Array(length) : new Float32Array(length);
}

/** Copies `channels` of a canvas-sized 0..1 plane inside `rect` into a buffer at `depth`. */
function cut(source: Float32Array, doc: FakeDocument, rect: Rect, channels: number, depth: Depth): Buffer {
  const width = rect.right - rect.left, height = rect.bottom - rect.top;
  const out = allocate(width * height * channels, depth);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = ((rect.top + y) * doc.width + rect.left + x) * channels;
      const to = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) out[to + c] = encode(source[from + c], depth);
    }
  }
  return out;
}

function asDepth(componentSize: Imaging.ComponentSize | undefined, doc: FakeDocument): Depth {
  return componentSize === 8 || componentSize === 16 || componentSize === 32 ? componentSize : doc.depth;
}

export const imaging: Pick<
  typeof Imaging,
  'getPixels' | 'putPixels' | 'getSelection' | 'putLayerMask' | 'createImageDataFromBuffer' | 'encodeImageData'
> = {
  async getPixels(options) {
    const doc = documentFor(options.documentID);
    const requested = options.sourceBounds ?? canvasOf(doc);
    // A layer only has pixels where it has content; the composite covers the canvas.
    const available = options.layerID === undefined ? canvasOf(doc) : layerFor(doc, options.layerID).contentBounds();
    const bounds = available && intersect(requested, available);
    if (!bounds) throw new Error('getPixels: the requested area holds no pixels.');
    const plane = options.layerID === undefined ? doc.composite() : layerFor(doc, options.layerID).pixels;
    if (!plane) throw new Error('getPixels: a group has no pixels of its own.');
    const buffer = cut(plane, doc, bounds, 4, asDepth(options.componentSize, doc));
    const imageData = new FakeImageData(buffer, bounds.right - bounds.left, bounds.bottom - bounds.top, 4, 'RGB');
    return { imageData, sourceBounds: bounds, level: 0 };
  },

  async getSelection(options) {
    const doc = documentFor(options.documentID);
    const coverage = doc.selectionCoverage ?? new Float32Array(doc.width * doc.height);
    const requested = options.sourceBounds ?? doc.selectionBounds() ?? canvasOf(doc);
    const bounds = intersect(requested, canvasOf(doc));
    if (!bounds) throw new Error('getSelection: the requested area lies outside the canvas.');
    const buffer = cut(coverage, doc, bounds, 1, doc.depth);
    return { imageData: new FakeImageData(buffer, bounds.right - bounds.left, bounds.bottom - bounds.top, 1, 'Grayscale'), sourceBounds: bounds };
  },

  async putPixels(options) {
    requireModal('putPixels');
    const doc = documentFor(options.documentID);
    const layer = layerFor(doc, options.layerID);
    if (!layer.pixels) throw new Error('putPixels needs a pixel layer.');
    const image = options.imageData as FakeImageData;
    if (image.components !== 4 && image.components !== 3) throw new Error('putPixels needs RGB or RGBA image data in an RGB document.');
    if (image.componentSize !== doc.depth) throw new Error(`putPixels: ${image.componentSize}-bit data into a ${doc.depth}-bit document.`);
    const left = options.targetBounds?.left ?? 0, top = options.targetBounds?.top ?? 0;
    const data = image.read();
    if (options.replace !== false) layer.pixels.fill(0);
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) {
        const cx = left + x, cy = top + y;
        if (cx < 0 || cy < 0 || cx >= doc.width || cy >= doc.height) continue;
        const from = (y * image.width + x) * image.components, to = (cy * doc.width + cx) * 4;
        for (let c = 0; c < 3; c++) layer.pixels[to + c] = decode(data[from + c], doc.depth);
        layer.pixels[to + 3] = image.components === 4 ? decode(data[from + 3], doc.depth) : 1;
      }
    }
    doc.recordChange(options.commandName ?? 'Put Pixels');
  },

  async putLayerMask(options) {
    requireModal('putLayerMask');
    const doc = documentFor(options.documentID);
    const layer = layerFor(doc, options.layerID);
    if (layer.isBackgroundLayer) throw new Error('The Background layer cannot have a layer mask.');
    const image = options.imageData as FakeImageData;
    if (image.components !== 1) throw new Error('putLayerMask needs one-component (grayscale) image data.');
    if (image.componentSize !== doc.depth) throw new Error(`putLayerMask: ${image.componentSize}-bit data into a ${doc.depth}-bit document.`);
    const left = options.targetBounds?.left ?? 0, top = options.targetBounds?.top ?? 0;
    // Outside targetBounds the fake leaves the mask white (revealed), one of the behaviours the host must not rely on.
    const mask = layer.mask ?? new Float32Array(doc.width * doc.height).fill(1);
    const data = image.read();
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) {
        const cx = left + x, cy = top + y;
        if (cx >= 0 && cy >= 0 && cx < doc.width && cy < doc.height) mask[cy * doc.width + cx] = decode(data[y * image.width + x], doc.depth);
      }
    }
    layer.mask = mask;
    doc.recordChange(options.commandName ?? 'Put Layer Mask');
  },

  async createImageDataFromBuffer(buffer, options) {
    const colorSpace = (options.colorSpace === 'Grayscale' ? 'Grayscale' : 'RGB') as Imaging.ColorSpace;
    return new FakeImageData(buffer, options.width, options.height, options.components, colorSpace);
  },

  async encodeImageData(options) {
    const image = options.imageData as FakeImageData;
    if (image.components !== 3) throw new Error('encodeImageData takes RGB image data only.');
    return imageEncoder.encode(image.read() as Uint8Array, image.width, image.height);
  },
};

/**
 * Photoshop returns a base64 JPEG. Node has no JPEG encoder, so by default the fake returns base64
 * of the raw RGB bytes; the browser harness installs a canvas-based JPEG encoder.
 */
export const imageEncoder = {
  encode(rgb: Uint8Array, _width: number, _height: number): string {
    let binary = '';
    for (const byte of rgb) binary += String.fromCharCode(byte);
    return btoa(binary);
  },
};
