/**
 * diffusers' Transformer2DModel with BasicTransformerBlocks as SD1.x uses them
 * (src/diffusers/models/transformers/transformer_2d.py, attention.py): GroupNorm, 1x1 proj_in, per block
 * self-attention, cross-attention to the text and a GEGLU feed-forward, 1x1 proj_out, residual.
 */
import { diffusersAttention } from './attention';
import { attr } from './graph-builder';
import { add, conv2d, fromTokens, gelu, groupNorm, layerNorm, linear, toTokens, type LayerContext } from './layers';

export interface SpatialTransformerOptions {
  channels: number;
  heads: number;
  crossAttentionDim: number;
  groups: number;
  layers: number;
}

/** diffusers' fixed epsilons: 1e-6 for the transformer's GroupNorm, 1e-5 for the blocks' LayerNorms. */
const GROUP_NORM_EPSILON = 1e-6;
const LAYER_NORM_EPSILON = 1e-5;
/** GEGLU's inner width is 4x the channels (FeedForward's mult=4). */
const FEED_FORWARD_MULT = 4;

export function spatialTransformer(ctx: LayerContext, name: string, x: string, encoderHiddenStates: string, options: SpatialTransformerOptions): string {
  const { channels, heads, crossAttentionDim, groups, layers } = options;
  if (channels % heads !== 0) {
    throw new Error(`${name}: ${channels} channels cannot be split into ${heads} attention heads; change attention_head_dim.`);
  }
  const g = ctx.graph;
  const normalized = groupNorm(ctx, `${name}.norm`, x, channels, groups, GROUP_NORM_EPSILON);
  let tokens = toTokens(g, conv2d(ctx, `${name}.proj_in`, normalized, { inChannels: channels, outChannels: channels, kernelSize: 1 }));
  const shape = { heads, headDim: channels / heads };
  for (let i = 0; i < layers; i++) {
    const block = `${name}.transformer_blocks.${i}`;
    const selfAttended = diffusersAttention(ctx, `${block}.attn1`, layerNorm(ctx, `${block}.norm1`, tokens, channels, LAYER_NORM_EPSILON), undefined, {
      ...shape,
      queryDim: channels,
      contextDim: channels,
      qkvBias: false,
    });
    tokens = add(g, selfAttended, tokens);
    const crossAttended = diffusersAttention(ctx, `${block}.attn2`, layerNorm(ctx, `${block}.norm2`, tokens, channels, LAYER_NORM_EPSILON), encoderHiddenStates, {
      ...shape,
      queryDim: channels,
      contextDim: crossAttentionDim,
      qkvBias: false,
    });
    tokens = add(g, crossAttended, tokens);
    tokens = add(g, gegluFeedForward(ctx, `${block}.ff`, layerNorm(ctx, `${block}.norm3`, tokens, channels, LAYER_NORM_EPSILON), channels), tokens);
  }
  const projected = conv2d(ctx, `${name}.proj_out`, fromTokens(g, tokens, x), { inChannels: channels, outChannels: channels, kernelSize: 1 });
  return add(g, projected, x);
}

/** FeedForward with GEGLU: net.0.proj to 2 x inner, value * gelu(gate), net.2 back to channels. */
function gegluFeedForward(ctx: LayerContext, name: string, x: string, channels: number): string {
  const g = ctx.graph;
  const inner = channels * FEED_FORWARD_MULT;
  const projected = linear(ctx, `${name}.net.0.proj`, x, channels, 2 * inner);
  const [value, gate] = g.nodeWithOutputs('Split', [projected, g.int64s('geglu_split', [inner, inner])], 2, { axis: attr.int(-1) });
  return linear(ctx, `${name}.net.2`, g.node('Mul', [value, gelu(g, gate)]), inner, channels);
}
