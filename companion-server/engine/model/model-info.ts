/** What the host and the panel are told about a loaded model: plain data that crosses the worker boundary. */
import type { ProviderAttempt, RunStats } from '../ort';
import type { StableDiffusionModel } from './components';

export interface ModelInfo {
  id: string;
  directory: string;
  provider: string;
  providerAttempts: readonly ProviderAttempt[];
  nativeSize: number;
  vaeScaleFactor: number;
  latentChannels: number;
  /** False when the folder has no vae_encoder: only images this model generated can be brushed. */
  canEncodeImages: boolean;
  warnings: readonly string[];
  onnxRunStats: RunStats;
}

export function describeModel(model: StableDiffusionModel): ModelInfo {
  return {
    id: model.id,
    directory: model.directory,
    provider: model.provider,
    providerAttempts: model.providerAttempts,
    nativeSize: model.nativeSize,
    vaeScaleFactor: model.vaeScaleFactor,
    latentChannels: model.latentChannels,
    canEncodeImages: model.vaeEncoder !== undefined,
    warnings: model.warnings,
    onnxRunStats: model.onnxRunStats(),
  };
}
