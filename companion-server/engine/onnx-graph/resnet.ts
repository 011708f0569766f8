/**
 * diffusers' ResnetBlock2D, Downsample2D and Upsample2D (src/diffusers/models/resnet.py,
 * downsampling.py, upsampling.py), shared by the UNet and the VAE.
 */
import { add, conv2d, groupNorm, linear, silu, upsampleNearest2x, type LayerContext } from './layers';

export interface ResnetOptions {
  inChannels: number;
  outChannels: number;
  groups: number;
  epsilon: number;
  /** The activated time embedding [T, temb channels] and its width; absent in the VAE. */
  timeEmbedding?: { value: string; channels: number };
}

/**
 * norm1 -> SiLU -> conv1 (+ time_emb_proj of the embedding, broadcast over H and W) -> norm2 -> SiLU
 * -> conv2, added to the input (through the 1x1 conv_shortcut when the channel count changes).
 */
export function resnetBlock(ctx: LayerContext, name: string, x: string, options: ResnetOptions): string {
  const { inChannels, outChannels, groups, epsilon, timeEmbedding } = options;
  const g = ctx.graph;
  let h = silu(g, groupNorm(ctx, `${name}.norm1`, x, inChannels, groups, epsilon));
  h = conv2d(ctx, `${name}.conv1`, h, { inChannels, outChannels, kernelSize: 3 });
  if (timeEmbedding) {
    const projected = linear(ctx, `${name}.time_emb_proj`, timeEmbedding.value, timeEmbedding.channels, outChannels);
    h = add(g, h, g.node('Unsqueeze', [projected, g.int64s('hw_axes', [2, 3])]));
  }
  h = silu(g, groupNorm(ctx, `${name}.norm2`, h, outChannels, groups, epsilon));
  h = conv2d(ctx, `${name}.conv2`, h, { inChannels: outChannels, outChannels, kernelSize: 3 });
  const shortcut =
    inChannels === outChannels ? x : conv2d(ctx, `${name}.conv_shortcut`, x, { inChannels, outChannels, kernelSize: 1 });
  return add(g, shortcut, h);
}

/**
 * Strided 3x3 conv `${name}.conv`. The UNet pads 1 on every side; the VAE encoder pads only bottom and
 * right (padding=0 plus F.pad(0, 1, 0, 1)), which matters for matching real checkpoints.
 */
export function downsample(ctx: LayerContext, name: string, x: string, channels: number, padding: 'symmetric' | 'bottom-right'): string {
  return conv2d(ctx, `${name}.conv`, x, {
    inChannels: channels,
    outChannels: channels,
    kernelSize: 3,
    stride: 2,
    pads: padding === 'symmetric' ? [1, 1, 1, 1] : [0, 0, 1, 1],
  });
}

/** Nearest 2x upsampling followed by the 3x3 conv `${name}.conv`. */
export function upsample(ctx: LayerContext, name: string, x: string, channels: number): string {
  return conv2d(ctx, `${name}.conv`, upsampleNearest2x(ctx.graph, x), { inChannels: channels, outChannels: channels, kernelSize: 3 });
}
