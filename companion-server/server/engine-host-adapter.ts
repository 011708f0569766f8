/** The real engine (EngineHost: ONNX in a worker thread) behind the server's JobEngine port. */
import { EngineHost } from '../engine-host';
import { JOB_KINDS } from '../protocol';
import type { JobEngine, OpenEngine } from './engine-port';

export interface EngineHostSettings {
  /** Execution providers to try, in order. */
  providers?: readonly string[];
  /** Memory the engine's caches may use, in MiB. */
  memoryBudgetMb?: number;
}

const BYTES_PER_MIB = 1024 * 1024;

export function engineHostOpener(settings: EngineHostSettings = {}): OpenEngine {
  const memoryBudgetBytes = settings.memoryBudgetMb === undefined ? undefined : settings.memoryBudgetMb * BYTES_PER_MIB;
  return async (modelDir) => adaptEngineHost(await EngineHost.start({ modelDir, providers: settings.providers, memoryBudgetBytes }));
}

export function adaptEngineHost(host: EngineHost): JobEngine {
  const { info } = host;
  return {
    model: {
      id: info.id,
      nativeWidth: info.nativeSize,
      nativeHeight: info.nativeSize,
      vaeScaleFactor: info.vaeScaleFactor,
      canEncodeImages: info.canEncodeImages,
    },
    provider: info.provider,
    jobs: JOB_KINDS,
    run: (kind, request, options) => host.run(kind, request, options),
    close: () => host.close(),
  };
}
