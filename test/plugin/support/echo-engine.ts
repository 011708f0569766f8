/**
 * An engine for testing the panel's client against the real companion server without ONNX: a
 * brush returns the source with its colours inverted, placed where the source came from; a
 * generate returns a flat image. Steps take `stepMs`, previews come every `previewEvery` steps,
 * and cancellation is honoured between steps, as the real engine does.
 */
import { JobCancelledError, type RgbaImage } from '../../../companion-server/engine/jobs';
import type { JobKind } from '../../../companion-server/protocol';
import type { EngineJobTypes, JobEngine, RunOptions } from '../../../companion-server/server/engine-port';

export class EchoEngine implements JobEngine {
  readonly model = { id: 'echo', nativeWidth: 64, nativeHeight: 64 };
  readonly provider = 'cpu';
  readonly jobs: readonly JobKind[] = ['generate', 'brush'];

  constructor(private readonly stepMs = 5) {}

  async run<K extends JobKind>(kind: K, request: EngineJobTypes[K]['request'], options: RunOptions): Promise<EngineJobTypes[K]['result']> {
    for (let step = 1; step <= request.steps; step++) {
      await new Promise((resolve) => setTimeout(resolve, this.stepMs));
      if (options.signal?.aborted) throw new JobCancelledError();
      const every = request.previewEvery ?? 0;
      options.onProgress?.({ phase: 'denoise', step, total: request.steps, preview: every > 0 && step % every === 0 ? flat(8, 8, step * 10) : undefined });
    }
    if (kind === 'generate') {
      const generate = request as EngineJobTypes['generate']['request'];
      return { image: flat(generate.width, generate.height, generate.seed), trajectory: [] } as EngineJobTypes[K]['result'];
    }
    const { source, masks, ...parameters } = request as EngineJobTypes['brush']['request'];
    const origin = parameters.sourceOrigin ?? { left: 0, top: 0 };
    const result: EngineJobTypes['brush']['result'] = {
      variations: Array.from({ length: parameters.variations }, (_, index) => ({
        index,
        image: { width: source.width, height: source.height, data: source.data.map((v, i) => (i % 4 === 3 ? v : 255 - v)) },
        placement: { ...origin, width: source.width, height: source.height },
        layerMask: masks[masks.length - 1].mask,
      })),
      parameters: { ...parameters, masks: masks.map(({ mask: _mask, ...params }) => params) },
    };
    return result as EngineJobTypes[K]['result'];
  }

  async close(): Promise<void> {}
}

function flat(width: number, height: number, value: number): RgbaImage {
  return { width, height, data: new Uint8Array(width * height * 4).fill(value % 256) };
}
