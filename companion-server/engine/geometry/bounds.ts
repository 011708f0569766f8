import { Extent } from './extent';

/** Anything with a rectangle's fields (PixelRect, a Bounds, a plain object from the panel). */
export interface RectLike {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/**
 * An axis-aligned rectangle: left/top inclusive, right/bottom exclusive. Immutable; every operation
 * returns a new value. Which coordinate space it lives in is the caller's to name (see plan-edit.ts).
 */
export class Bounds implements RectLike {
  constructor(
    readonly left: number,
    readonly top: number,
    readonly width: number,
    readonly height: number,
  ) {
    Object.freeze(this);
  }

  static from(rect: RectLike): Bounds {
    return new Bounds(rect.left, rect.top, rect.width, rect.height);
  }

  static ofExtent(extent: { width: number; height: number }): Bounds {
    return new Bounds(0, 0, extent.width, extent.height);
  }

  static fromEdges(left: number, top: number, right: number, bottom: number): Bounds {
    return new Bounds(left, top, Math.max(0, right - left), Math.max(0, bottom - top));
  }

  get right(): number {
    return this.left + this.width;
  }

  get bottom(): number {
    return this.top + this.height;
  }

  get extent(): Extent {
    return new Extent(this.width, this.height);
  }

  get isEmpty(): boolean {
    return this.width <= 0 || this.height <= 0;
  }

  /** Grows every side by `pixels` (shrinks for negative values). */
  pad(pixels: number): Bounds {
    return Bounds.fromEdges(this.left - pixels, this.top - pixels, this.right + pixels, this.bottom + pixels);
  }

  /** The part of this rectangle inside `limit`. */
  intersect(limit: RectLike): Bounds {
    const other = Bounds.from(limit);
    return Bounds.fromEdges(
      Math.max(this.left, other.left),
      Math.max(this.top, other.top),
      Math.min(this.right, other.right),
      Math.min(this.bottom, other.bottom),
    );
  }

  /** Alias of intersect for a limit given as an extent at the origin (a canvas, an image). */
  clamp(extent: { width: number; height: number }): Bounds {
    return this.intersect(Bounds.ofExtent(extent));
  }

  contains(other: RectLike): boolean {
    return (
      other.left >= this.left &&
      other.top >= this.top &&
      other.left + other.width <= this.right &&
      other.top + other.height <= this.bottom
    );
  }

  /** This rectangle in the coordinates of `origin`'s space (origin's top-left becomes 0,0). */
  relativeTo(origin: { left: number; top: number }): Bounds {
    return new Bounds(this.left - origin.left, this.top - origin.top, this.width, this.height);
  }

  /** The inverse of relativeTo: from `origin`'s space back to the space `origin` lives in. */
  offsetBy(origin: { left: number; top: number }): Bounds {
    return new Bounds(this.left + origin.left, this.top + origin.top, this.width, this.height);
  }

  /** Scales into another grid, rounding outwards so every partly covered cell is included. */
  scaleOutward(scaleX: number, scaleY: number): Bounds {
    return Bounds.fromEdges(
      Math.floor(this.left * scaleX + 1e-9),
      Math.floor(this.top * scaleY + 1e-9),
      Math.ceil(this.right * scaleX - 1e-9),
      Math.ceil(this.bottom * scaleY - 1e-9),
    );
  }

  /**
   * Grows each side to at least `minWidth` x `minHeight` around the centre, shifting the window to stay
   * inside `limit`; sides already larger are kept, and the limit caps the size.
   */
  expandTo(minWidth: number, minHeight: number, limit: RectLike): Bounds {
    const [left, width] = expandAxis(this.left, this.width, minWidth, limit.left, limit.width);
    const [top, height] = expandAxis(this.top, this.height, minHeight, limit.top, limit.height);
    return new Bounds(left, top, width, height);
  }

  equals(other: RectLike): boolean {
    return this.left === other.left && this.top === other.top && this.width === other.width && this.height === other.height;
  }

  toString(): string {
    return `${this.width}x${this.height} at (${this.left}, ${this.top})`;
  }
}

function expandAxis(start: number, size: number, minSize: number, limitStart: number, limitSize: number): [number, number] {
  if (size >= minSize) return [start, size];
  const wanted = Math.min(minSize, limitSize);
  const centred = Math.round(start + size / 2 - wanted / 2);
  const shifted = Math.min(Math.max(centred, limitStart), limitStart + limitSize - wanted);
  return [shifted, wanted];
}
