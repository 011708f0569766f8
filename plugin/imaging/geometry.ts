/**
 * Rectangles in canvas (document) pixels. Photoshop speaks in edges ({left, top, right, bottom});
 * the engine and protocol speak in origin + size (PixelRect). Conversions live here, once; the rest
 * of the rectangle math is the engine's geometry module (companion-server/engine/geometry).
 */
import type { PixelRect } from '../../companion-server/engine/jobs';

export type { PixelRect };

/** Photoshop's rectangle: right and bottom are exclusive edges. */
export interface Edges {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export function rectFromEdges(edges: Edges): PixelRect {
  return { left: edges.left, top: edges.top, width: edges.right - edges.left, height: edges.bottom - edges.top };
}

export function edgesFromRect(rect: PixelRect): Edges {
  return { left: rect.left, top: rect.top, right: rect.left + rect.width, bottom: rect.top + rect.height };
}

export function unionRects(rects: readonly PixelRect[]): PixelRect {
  if (rects.length === 0) throw new Error('unionRects needs at least one rectangle.');
  let left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
  for (const r of rects) {
    left = Math.min(left, r.left);
    top = Math.min(top, r.top);
    right = Math.max(right, r.left + r.width);
    bottom = Math.max(bottom, r.top + r.height);
  }
  return { left, top, width: right - left, height: bottom - top };
}

/** Pixel edges must be integers for Photoshop: grow outward to whole pixels. */
export function snapOutward(edges: Edges): Edges {
  return { left: Math.floor(edges.left), top: Math.floor(edges.top), right: Math.ceil(edges.right), bottom: Math.ceil(edges.bottom) };
}
