/** The generated tiny model for engine tests, with its UNet wrapped so tests can count calls. */
import { join } from 'node:path';
import type { JobContext, ProgressEvent } from '../../companion-server/engine/jobs';
import { loadModel } from '../../companion-server/engine/model/load-model';
import type { StableDiffusionModel } from '../../companion-server/engine/model/components';
import type { Tensor } from '../../companion-server/engine/tensor';

export const TINY_SD = join(__dirname, '../../models/tiny-sd');

export interface CountingModel {
  model: StableDiffusionModel;
  /** UNet calls since the last reset. */
  unetCalls(): number;
  resetCounts(): void;
}

export async function loadCountingModel(): Promise<CountingModel> {
  const loaded = await loadModel(TINY_SD, { providers: ['cpu'] });
  let calls = 0;
  const unet = {
    inChannels: loaded.unet.inChannels,
    predict(sample: Tensor, timestep: number, hidden: Tensor) {
      calls++;
      return loaded.unet.predict(sample, timestep, hidden);
    },
  };
  return {
    model: { ...loaded, unet, release: () => loaded.release(), onnxRunStats: () => loaded.onnxRunStats() },
    unetCalls: () => calls,
    resetCounts: () => {
      calls = 0;
    },
  };
}

/** A JobContext that records progress and never cancels. */
export function recordingContext(): JobContext & { events: ProgressEvent[] } {
  const events: ProgressEvent[] = [];
  return { events, progress: (event) => void events.push(event), throwIfCancelled: () => undefined };
}
