/**
 * Multi-head scaled dot-product attention as plain MatMul + Softmax (no contrib ops, so every
 * execution provider runs it), with the projection naming of diffusers' Attention and of CLIP.
 */
import { attr, type GraphBuilder } from './graph-builder';
import { linear, type LayerContext } from './layers';

export interface AttentionShape {
  heads: number;
  headDim: number;
}

/**
 * softmax(q k^T / sqrt(headDim) + mask) v on token tensors q [B, L, H*D], k and v [B, S, H*D].
 * `mask` is an additive [L, S] tensor (CLIP's causal mask).
 */
export function scaledDotProductAttention(
  g: GraphBuilder,
  q: string,
  k: string,
  v: string,
  { heads, headDim }: AttentionShape,
  mask?: string,
): string {
  // Scaling q (L x C values) is cheaper than scaling the scores (L x S per head).
  const scaledQ = g.node('Mul', [q, g.floats('attention_scale', [], [1 / Math.sqrt(headDim)])]);
  if (heads === 1) {
    const scores = g.node('MatMul', [scaledQ, g.node('Transpose', [k], { perm: attr.ints([0, 2, 1]) })]);
    return g.node('MatMul', [softmax(g, scores, mask), v]);
  }
  const splitHeads = g.int64s('split_heads', [0, 0, heads, headDim]);
  const qHeads = g.node('Transpose', [g.node('Reshape', [scaledQ, splitHeads])], { perm: attr.ints([0, 2, 1, 3]) });
  const kHeadsT = g.node('Transpose', [g.node('Reshape', [k, splitHeads])], { perm: attr.ints([0, 2, 3, 1]) });
  const vHeads = g.node('Transpose', [g.node('Reshape', [v, splitHeads])], { perm: attr.ints([0, 2, 1, 3]) });
  const weighted = g.node('MatMul', [softmax(g, g.node('MatMul', [qHeads, kHeadsT]), mask), vHeads]);
  const merged = g.node('Transpose', [weighted], { perm: attr.ints([0, 2, 1, 3]) });
  return g.node('Reshape', [merged, g.int64s('merge_heads', [0, 0, heads * headDim])]);
}

function softmax(g: GraphBuilder, scores: string, mask: string | undefined): string {
  return g.node('Softmax', [mask ? g.node('Add', [scores, mask]) : scores], { axis: attr.int(-1) });
}

export interface DiffusersAttentionOptions extends AttentionShape {
  queryDim: number;
  /** Channels of the key/value source: queryDim for self-attention, cross_attention_dim for cross. */
  contextDim: number;
  /** The VAE's attention has q/k/v biases; the UNet's transformer blocks do not. */
  qkvBias: boolean;
}

/**
 * diffusers' Attention (to_q, to_k, to_v, to_out.0) on tokens [B, L, queryDim]; `context` defaults to
 * `x` (self-attention).
 */
export function diffusersAttention(ctx: LayerContext, name: string, x: string, context: string | undefined, options: DiffusersAttentionOptions): string {
  const { queryDim, contextDim, heads, headDim, qkvBias } = options;
  const inner = heads * headDim;
  const kv = context ?? x;
  const q = linear(ctx, `${name}.to_q`, x, queryDim, inner, qkvBias);
  const k = linear(ctx, `${name}.to_k`, kv, contextDim, inner, qkvBias);
  const v = linear(ctx, `${name}.to_v`, kv, contextDim, inner, qkvBias);
  const attended = scaledDotProductAttention(ctx.graph, q, k, v, { heads, headDim });
  return linear(ctx, `${name}.to_out.0`, attended, inner, queryDim);
}

/** transformers' CLIPAttention (q_proj, k_proj, v_proj, out_proj, all with bias) with an additive mask. */
export function clipAttention(ctx: LayerContext, name: string, x: string, hidden: number, heads: number, mask: string): string {
  const headDim = hidden / heads;
  const q = linear(ctx, `${name}.q_proj`, x, hidden, hidden);
  const k = linear(ctx, `${name}.k_proj`, x, hidden, hidden);
  const v = linear(ctx, `${name}.v_proj`, x, hidden, hidden);
  const attended = scaledDotProductAttention(ctx.graph, q, k, v, { heads, headDim }, mask);
  return linear(ctx, `${name}.out_proj`, attended, hidden, hidden);
}
