/** What the panel shows, owned by the controller and rendered by the components. */
import type { SchedulerKind } from '../companion-server/engine/schedulers/scheduler';
import type { ConnectionStatus } from './client';
import type { GrayImage } from './imaging/pixels';
import type { PixelRect } from './imaging/geometry';
import type { DocumentInfo } from './host';

export interface MaskEntry {
  /** Stable identity for React and for the controller's updates. */
  key: number;
  documentId: number;
  /** Where the selection was, on the canvas. */
  bounds: PixelRect;
  mask: GrayImage;
  /** A JPEG data URL of the mask (white = repainted). */
  thumbnail: string;
  step: number;
  strength: number;
  seed: number;
  /** Replaces the global prompt inside this mask; empty means the global prompt. */
  prompt: string;
}

export type ContextChoice = 'auto' | 'whole-image' | 'bounding-box' | 'padding';

export interface GlobalSettings {
  prompt: string;
  negativePrompt: string;
  steps: number;
  guidance: number;
  scheduler: SchedulerKind;
  variations: number;
  context: ContextChoice;
  /** Used when context is 'padding'. */
  paddingPixels: number;
  /** Edit the active layer, or what is visible (all layers merged). */
  source: 'layer' | 'merged';
}

export interface JobView {
  kind: 'brush' | 'generate';
  /** 0..1 over the whole job. */
  fraction: number;
  label: string;
  /** The latest preview as a data URL. */
  preview: string | null;
  cancelling: boolean;
}

export interface Notice {
  kind: 'error' | 'info';
  text: string;
}

export interface PanelState {
  connection: ConnectionStatus;
  document: DocumentInfo | null;
  masks: MaskEntry[];
  globals: GlobalSettings;
  job: JobView | null;
  /** The last written edit: its name, how it came about, and thumbnails (first variation first). */
  lastResults: { name: string; how: string; pictures: string[] } | null;
  notice: Notice | null;
}

export const DEFAULT_MASK = { step: 5, strength: 0.8 } as const;

export const DEFAULT_GLOBALS: GlobalSettings = {
  prompt: '',
  negativePrompt: '',
  steps: 20,
  guidance: 7.5,
  scheduler: 'ddim',
  variations: 3,
  context: 'auto',
  paddingPixels: 64,
  source: 'layer',
};

export function initialPanelState(): PanelState {
  return {
    connection: { kind: 'connecting' },
    document: null,
    masks: [],
    globals: DEFAULT_GLOBALS,
    job: null,
    lastResults: null,
    notice: null,
  };
}
