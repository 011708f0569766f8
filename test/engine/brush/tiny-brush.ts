/** Shared setup of the brush tests: the tiny model with a counting UNet, a generated source, requests. */
import type { BrushMask, BrushRequest, GenerateRequest, GrayImage, RgbaImage } from '../../../companion-server/engine/jobs';
import type { StableDiffusionModel } from '../../../companion-server/engine/model/components';
import { generate } from '../../../companion-server/engine/pipeline/generate';
import { recordingContext } from '../../support/tiny-model';

export { TINY_SD, loadCountingModel, recordingContext, type CountingModel } from '../../support/tiny-model';

export const GENERATION: GenerateRequest = {
  prompt: 'a quiet lake',
  negativePrompt: '',
  steps: 6,
  guidance: 4,
  scheduler: 'ddim',
  seed: 7,
  width: 64,
  height: 64,
};

/** A rectangle mask with optional soft border (linear ramp `soft` pixels wide outside the rectangle). */
export function rectMask(width: number, height: number, rect: { left: number; top: number; width: number; height: number }, soft = 0): GrayImage {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = Math.max(rect.left - x, x - (rect.left + rect.width - 1), 0);
      const dy = Math.max(rect.top - y, y - (rect.top + rect.height - 1), 0);
      const d = Math.max(dx, dy);
      data[y * width + x] = d === 0 ? 255 : soft > 0 && d <= soft ? Math.round(255 * (1 - d / (soft + 1))) : 0;
    }
  }
  return { width, height, data };
}

export async function generatedSource(model: StableDiffusionModel): Promise<RgbaImage> {
  return (await generate(model, GENERATION, { ctx: recordingContext() })).image;
}

export function brushRequest(source: RgbaImage, masks: BrushMask[], overrides: Partial<BrushRequest> = {}): BrushRequest {
  return {
    source,
    masks,
    prompt: GENERATION.prompt,
    negativePrompt: GENERATION.negativePrompt,
    steps: GENERATION.steps,
    guidance: GENERATION.guidance,
    scheduler: GENERATION.scheduler,
    smoothingSteps: 2,
    noiseMode: 'additive',
    trajectory: { kind: 'generated', generation: GENERATION },
    variations: 1,
    context: { kind: 'auto' },
    ...overrides,
  };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
