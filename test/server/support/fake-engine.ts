/**
 * An engine double for queue and transport tests: jobs take `stepMs` per step (no ONNX), honour
 * cancellation between steps, and can be held at their first step until the test releases them.
 * End-to-end tests use the real EngineHost instead.
 */
import { JobCancelledError, type RgbaImage } from '../../../companion-server/engine/jobs';
import type { JobKind } from '../../../companion-server/protocol';
import type { EngineJobTypes, JobEngine, RunOptions } from '../../../companion-server/server/engine-port';

export class FakeEngine implements JobEngine {
  readonly model: { id: string; nativeWidth: number; nativeHeight: number };
  readonly provider = 'cpu';
  readonly jobs: readonly JobKind[] = ['generate', 'brush'];
  /** Every job the engine started, in order, with its prompt. */
  readonly started: { kind: JobKind; prompt: string }[] = [];
  cancelled = 0;
  closed = false;
  private held: Promise<void> | null = null;

  constructor(
    private readonly stepMs = 1,
    modelId = 'fake',
  ) {
    this.model = { id: modelId, nativeWidth: 64, nativeHeight: 64 };
  }

  /** Jobs wait at their first step until the returned function is called. */
  hold(): () => void {
    let release = () => undefined as void;
    this.held = new Promise<void>((resolve) => {
      release = resolve;
    });
    return () => {
      this.held = null;
      release();
    };
  }

  async run<K extends JobKind>(kind: K, request: EngineJobTypes[K]['request'], options: RunOptions): Promise<EngineJobTypes[K]['result']> {
    this.started.push({ kind, prompt: request.prompt });
    const aborted = new Promise<void>((resolve) => options.signal?.addEventListener('abort', () => resolve()));
    for (let step = 1; step <= request.steps; step++) {
      await Promise.race([this.held, aborted]);
      await new Promise((resolve) => setTimeout(resolve, this.stepMs));
      if (options.signal?.aborted) {
        this.cancelled += 1;
        throw new JobCancelledError();
      }
      const every = request.previewEvery ?? 0;
      options.onProgress?.({ phase: 'denoise', step, total: request.steps, preview: every > 0 && step % every === 0 ? solid(4, 4, step) : undefined });
    }
    return this.resultFor(kind, request);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private resultFor<K extends JobKind>(kind: K, request: EngineJobTypes[K]['request']): EngineJobTypes[K]['result'] {
    if (kind === 'generate') {
      const generate = request as EngineJobTypes['generate']['request'];
      return { image: solid(generate.width, generate.height, generate.seed), trajectory: [] } as EngineJobTypes[K]['result'];
    }
    const { source, masks, ...parameters } = request as EngineJobTypes['brush']['request'];
    const result: EngineJobTypes['brush']['result'] = {
      variations: Array.from({ length: parameters.variations }, (_, index) => ({
        index,
        image: solid(source.width, source.height, index),
        placement: { left: 0, top: 0, width: source.width, height: source.height },
        layerMask: masks[0].mask,
      })),
      parameters: { ...parameters, masks: masks.map(({ mask: _mask, ...params }) => params) },
    };
    return result as EngineJobTypes[K]['result'];
  }
}

export function solid(width: number, height: number, value: number): RgbaImage {
  return { width, height, data: new Uint8Array(width * height * 4).fill(value % 256) };
}
