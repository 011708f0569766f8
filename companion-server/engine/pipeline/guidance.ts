/**
 * Classifier-free guidance (Ho & Salimans 2022): eps = eps_uncond + g * (eps_cond - eps_uncond), with the
 * unconditional and conditional rows run as one UNet batch, as diffusers' pipelines do.
 */
import type { Unet } from '../model/components';
import type { Tensor } from '../tensor';
import { concatBatch, splitBatch } from '../tensor';
import { repeatRows } from './conditioning';

/** Per-row conditioning for a batch of B latents: each tensor is [B, seq, hidden] or [1, seq, hidden] (shared). */
export interface BatchConditioning {
  uncond: Tensor;
  cond: Tensor;
}

export async function predictGuidedNoise(
  unet: Unet,
  latents: Tensor,
  timestep: number,
  conditioning: BatchConditioning,
  guidance: number,
): Promise<Tensor> {
  const batch = latents.dims[0];
  const cond = broadcastRows(conditioning.cond, batch);
  // With g <= 1 the unconditional branch only dilutes the prediction; skipping it halves the cost.
  if (guidance <= 1) return unet.predict(latents, timestep, cond);
  const uncond = broadcastRows(conditioning.uncond, batch);
  const both = await unet.predict(concatBatch([latents, latents]), timestep, concatBatch([uncond, cond]));
  const [noiseUncond, noiseCond] = splitBatch(both, 2);
  const out = new Float32Array(noiseCond.data.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = noiseUncond.data[i] + guidance * (noiseCond.data[i] - noiseUncond.data[i]);
  }
  return { data: out, dims: noiseCond.dims };
}

function broadcastRows(rows: Tensor, batch: number): Tensor {
  if (rows.dims[0] === batch) return rows;
  if (rows.dims[0] === 1) return repeatRows(rows, batch);
  throw new Error(`Conditioning has ${rows.dims[0]} rows for a batch of ${batch} latents.`);
}
