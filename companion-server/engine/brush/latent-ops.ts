/**
 * Element-wise latent operations of the brush (algorithm.md): noise injection, keeping the source
 * outside the edited region, and the per-region combination of prompts. Latent masks are [h, w] planes
 * broadcast over batch rows and channels.
 */
import type { MaskPlane } from '../image';
import type { NoiseMode } from '../jobs';
import type { Tensor } from '../tensor';

/**
 * Re-noises the masked region of every row. `noise` holds one eps' row per latent row; `sampleScale` is the
 * standard deviation a unit-variance latent has at this step (1 for DDIM-type schedulers,
 * sqrt(1 + sigma^2) for Euler-type ones), so alpha means the same for every scheduler.
 * - additive (the paper):       Z' = Z + alpha * eps' * m
 * - variance-preserving (ours): Z' = (1 - m) Z + m (sqrt(1 - a^2) Z + a eps'), a = clamp(alpha, 0, 1)
 */
export function injectNoise(latents: Tensor, noise: Tensor, mask: MaskPlane, strength: number, mode: NoiseMode, sampleScale: number): Tensor {
  const out = new Float32Array(latents.data);
  const plane = mask.width * mask.height;
  if (noise.data.length !== out.length || out.length % plane !== 0) {
    throw new Error(`Noise [${noise.dims}] and mask ${mask.width}x${mask.height} do not fit latents [${latents.dims}].`);
  }
  const a = Math.min(1, Math.max(0, strength));
  const keep = Math.sqrt(1 - a * a);
  for (let i = 0; i < out.length; i++) {
    const m = mask.data[i % plane];
    if (m === 0) continue;
    const eps = noise.data[i] * sampleScale;
    const z = out[i];
    out[i] = mode === 'additive' ? z + strength * eps * m : (1 - m) * z + m * (keep * z + a * eps);
  }
  return { data: out, dims: [...latents.dims] };
}

/** m * Z' + (1 - m) * Z_source for every row: the merge of algorithm.md step 4, applied at each step up to it. */
export function keepSourceOutside(latents: Tensor, source: Tensor, mask: MaskPlane): Tensor {
  const row = source.data.length;
  const plane = mask.width * mask.height;
  if (latents.data.length % row !== 0 || row % plane !== 0) {
    throw new Error(`Source latent [${source.dims}] and mask ${mask.width}x${mask.height} do not fit latents [${latents.dims}].`);
  }
  const out = new Float32Array(latents.data.length);
  for (let i = 0; i < out.length; i++) {
    const m = mask.data[i % plane];
    const src = source.data[i % row];
    out[i] = m === 0 ? src : m === 1 ? latents.data[i] : m * latents.data[i] + (1 - m) * src;
  }
  return { data: out, dims: [...latents.dims] };
}

/**
 * Rows come in groups of P (one per prompt); returns one row per group: sum_p w_p * row_p, with per-pixel
 * weights that sum to 1 (algorithm.md: eps = sum_k m_k eps(prompt_k) + (1 - sum m_k) eps(base)).
 */
export function combinePromptRows(t: Tensor, weights: readonly MaskPlane[]): Tensor {
  const groups = weights.length;
  const [batch, ...item] = t.dims;
  const size = t.data.length / batch;
  const plane = weights[0].width * weights[0].height;
  const count = batch / groups;
  const data = new Float32Array(count * size);
  for (let g = 0; g < count; g++) {
    for (let p = 0; p < groups; p++) {
      const row = (g * groups + p) * size;
      const w = weights[p].data;
      for (let i = 0; i < size; i++) data[g * size + i] += w[i % plane] * t.data[row + i];
    }
  }
  return { data, dims: [count, ...item] };
}
