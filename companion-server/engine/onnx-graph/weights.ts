/**
 * Where a graph builder gets its parameters from. Names and shapes are exactly those of the
 * PyTorch state dicts (diffusers for the UNet and VAE, transformers for CLIP), e.g.
 * "down_blocks.0.resnets.0.conv1.weight" with shape [out, in, kh, kw], so a converter can serve real
 * checkpoint tensors through the same builders that make the random tiny model.
 */
import { GaussianRandom } from '../random';

export type WeightSource = (name: string, shape: readonly number[]) => Float32Array;

/**
 * Random weights with an init that keeps activations O(1) through any depth of these networks:
 * - rank-1 ".weight" tensors are norm scales: ones; every ".bias" is zero (norms start as identities);
 * - embedding tables ("...embedding.weight") are N(0, 1): they only ever enter through a LayerNorm;
 * - every other matrix or kernel is N(0, (gain^2) / fan_in), fan_in = product of all but the first dim.
 *   `gain` compensates for the SiLU/GELU in front of most layers, which shrinks the second moment of a
 *   unit Gaussian to about 0.35 (so the default is near 1 / sqrt(0.35)).
 * Each tensor draws from its own generator seeded by (seed, name), so weights do not depend on the
 * order in which a builder asks for them.
 */
export function seededWeightSource(seed: number, gain = DEFAULT_GAIN): WeightSource {
  return (name, shape) => {
    const data = new Float32Array(shape.reduce((n, d) => n * d, 1));
    if (name.endsWith('.bias')) return data;
    if (shape.length === 1) return data.fill(1);
    const std = name.endsWith('embedding.weight') ? 1 : gain / Math.sqrt(data.length / shape[0]);
    const random = new GaussianRandom(tensorSeed(seed, name));
    for (let i = 0; i < data.length; i++) data[i] = random.nextGaussian() * std;
    return data;
  };
}

export const DEFAULT_GAIN = 1.6;

/** A 53-bit generator seed from the model seed and the tensor name (two FNV-1a 32-bit hashes). */
function tensorSeed(seed: number, name: string): number {
  const text = `${seed}:${name}`;
  const high = fnv1a(text, 0x811c9dc5) & 0x1fffff;
  const low = fnv1a(text, 0x050c5d1f);
  return high * 2 ** 32 + low;
}

function fnv1a(text: string, basis: number): number {
  let hash = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
