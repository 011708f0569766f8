/** The real engine (EngineHost with models/tiny-sd on the CPU) for end-to-end server tests. */
import { join } from 'node:path';
import { EngineHost } from '../../../companion-server/engine-host';
import type { GenerateRequest, GrayImage, RgbaImage } from '../../../companion-server/engine/jobs';
import { engineHostOpener } from '../../../companion-server/server/engine-host-adapter';
import type { OpenEngine } from '../../../companion-server/server/engine-port';

export const TINY_SD = join(__dirname, '../../../models/tiny-sd');

export const openTinyEngine: OpenEngine = engineHostOpener({ providers: ['cpu'] });

export function startDirectEngine(): Promise<EngineHost> {
  return EngineHost.start({ modelDir: TINY_SD, providers: ['cpu'] });
}

/** A small generation: tiny-sd's native 64 px, few steps. */
export const SMALL_GENERATION: GenerateRequest = {
  prompt: 'a quiet lake',
  negativePrompt: '',
  steps: 6,
  guidance: 4,
  scheduler: 'ddim',
  seed: 7,
  width: 64,
  height: 64,
};

/** A mask with a filled rectangle. */
export function rectMask(width: number, height: number, rect: { left: number; top: number; width: number; height: number }): GrayImage {
  const data = new Uint8Array(width * height);
  for (let y = rect.top; y < rect.top + rect.height; y++) data.fill(255, y * width + rect.left, y * width + rect.left + rect.width);
  return { width, height, data };
}

export type { RgbaImage };
