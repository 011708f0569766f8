/**
 * Classifier-free guidance (Ho & Salimans 2022): eps = eps_uncond + g * (eps_cond - eps_uncond), with the
 * unconditional and conditional rows run as one UNet batch, as diffusers' pipelines do.
 */
import type { Unet } from '../model/components';
import type { Tensor } from '../tensor';
import { concatBatch, repeatEachRow, splitBatch } from '../tensor';

/** Per-row conditioning for a batch of B latents: each tensor is [B, seq, hidden] or [1, seq, hidden] (shared). */
export interface BatchConditioning {
  uncond: Tensor;
  cond: Tensor;
}

/** Predicts the guided noise for a batch of latents at one timestep. */
export type GuidedPredictor = (latents: Tensor, timestep: number) => Promise<Tensor>;

/**
 * A predictor for batches of `batch` latents. The UNet's encoder_hidden_states do not change from step to
 * step, so they are broadcast and batched here once instead of on every call.
 */
export function guidedPredictor(unet: Unet, conditioning: BatchConditioning, guidance: number, batch: number): GuidedPredictor {
  const cond = broadcastRows(conditioning.cond, batch);
  // With g <= 1 the unconditional branch only dilutes the prediction; skipping it halves the cost.
  if (guidance <= 1) return (latents, timestep) => unet.predict(latents, timestep, cond);
  const hiddenStates = concatBatch([broadcastRows(conditioning.uncond, batch), cond]);
  return async (latents, timestep) => {
    const both = await unet.predict(concatBatch([latents, latents]), timestep, hiddenStates);
    const [noiseUncond, noiseCond] = splitBatch(both, 2);
    const out = new Float32Array(noiseCond.data.length);
    for (let i = 0; i < out.length; i++) {
      out[i] = noiseUncond.data[i] + guidance * (noiseCond.data[i] - noiseUncond.data[i]);
    }
    return { data: out, dims: noiseCond.dims };
  };
}

function broadcastRows(rows: Tensor, batch: number): Tensor {
  if (rows.dims[0] === batch) return rows;
  if (rows.dims[0] === 1) return repeatEachRow(rows, batch);
  throw new Error(`Conditioning has ${rows.dims[0]} rows for a batch of ${batch} latents.`);
}
