/** Checks of generation parameters shared by every entry point (CLI, worker jobs, the brush). */
import { InvalidRequestError } from '../errors';
import type { GenerateRequest } from '../jobs';
import { MAX_SEED } from '../random';
import { SCHEDULER_KINDS } from '../schedulers/scheduler';

export const MAX_STEPS = 500;
export const MAX_GUIDANCE = 50;
/** Largest side the engine processes in one piece; bigger canvases are edited through context crops. */
export const MAX_IMAGE_SIDE = 4096;

/** `sizeMultiple`: the model's (StableDiffusionModel.sizeMultiple), 64 for SD 1.5. */
export function validateGenerateRequest(request: GenerateRequest, sizeMultiple: number): void {
  validateSamplingParameters(request);
  for (const field of ['width', 'height'] as const) {
    const value = request[field];
    if (!Number.isInteger(value) || value < sizeMultiple || value > MAX_IMAGE_SIDE || value % sizeMultiple !== 0) {
      const nearest = Math.max(sizeMultiple, Math.round(value / sizeMultiple) * sizeMultiple);
      throw new InvalidRequestError(
        field,
        `${field} must be a multiple of ${sizeMultiple} from ${sizeMultiple} to ${MAX_IMAGE_SIDE} for this model; got ${value}` +
          (Number.isFinite(nearest) ? ` (try ${nearest}).` : '.'),
      );
    }
  }
  validateSeed('seed', request.seed);
}

/** The parameters generation and the brush share: prompts, steps, guidance, scheduler, previews. */
export function validateSamplingParameters(request: Pick<GenerateRequest, 'prompt' | 'negativePrompt' | 'steps' | 'guidance' | 'scheduler' | 'previewEvery'>): void {
  for (const field of ['prompt', 'negativePrompt'] as const) {
    if (typeof request[field] !== 'string') throw new InvalidRequestError(field, `${field} must be text.`);
  }
  if (!Number.isInteger(request.steps) || request.steps < 1 || request.steps > MAX_STEPS) {
    throw new InvalidRequestError('steps', `steps must be a whole number from 1 to ${MAX_STEPS}; got ${request.steps}.`);
  }
  if (!Number.isFinite(request.guidance) || request.guidance < 0 || request.guidance > MAX_GUIDANCE) {
    throw new InvalidRequestError('guidance', `guidance must be a number from 0 to ${MAX_GUIDANCE}; got ${request.guidance}.`);
  }
  if (!SCHEDULER_KINDS.includes(request.scheduler)) {
    throw new InvalidRequestError('scheduler', `scheduler must be one of ${SCHEDULER_KINDS.join(', ')}; got ${String(request.scheduler)}.`);
  }
  const every = request.previewEvery ?? 0;
  if (!Number.isInteger(every) || every < 0) {
    throw new InvalidRequestError('previewEvery', `previewEvery must be a whole number of steps (0 for none); got ${every}.`);
  }
}

export function validateSeed(field: string, seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new InvalidRequestError(field, `${field} must be a whole number from 0 to ${MAX_SEED}; got ${seed}.`);
  }
}
