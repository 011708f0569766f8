/**
 * AutoencoderKL's encoder and decoder as two ONNX graphs, configured by the keys of diffusers'
 * vae/config.json and named like its state dict (src/diffusers/models/autoencoders/autoencoder_kl.py,
 * vae.py). Inputs and outputs are those of a Hugging Face optimum export: the encoder returns the
 * latent distribution's parameters (mean and logvar, after quant_conv), the decoder takes unscaled latents.
 */
import { diffusersAttention } from './attention';
import { GraphBuilder } from './graph-builder';
import { add, conv2d, fromTokens, groupNorm, silu, toTokens, type LayerContext } from './layers';
import { downsample, resnetBlock, upsample } from './resnet';
import type { WeightSource } from './weights';

export interface AutoencoderKLConfig {
  in_channels: number;
  out_channels: number;
  latent_channels: number;
  block_out_channels: number[];
  layers_per_block: number;
  norm_num_groups: number;
  sample_size: number;
  scaling_factor: number;
  down_block_types: string[];
  up_block_types: string[];
  act_fn?: string;
}

export const VAE_ENCODER_IO = { input: 'sample', output: 'latent_parameters' } as const;
export const VAE_DECODER_IO = { input: 'latent_sample', output: 'sample' } as const;

/** diffusers' VAE norms use eps 1e-6 throughout. */
const EPSILON = 1e-6;

export function checkVaeConfig(config: AutoencoderKLConfig): void {
  const problems: string[] = [];
  const blocks = config.block_out_channels.length;
  if (config.down_block_types.some((t) => t !== 'DownEncoderBlock2D') || config.down_block_types.length !== blocks) {
    problems.push(`down_block_types must be ${blocks} x "DownEncoderBlock2D"`);
  }
  if (config.up_block_types.some((t) => t !== 'UpDecoderBlock2D') || config.up_block_types.length !== blocks) {
    problems.push(`up_block_types must be ${blocks} x "UpDecoderBlock2D"`);
  }
  if ((config.act_fn ?? 'silu') !== 'silu') problems.push(`act_fn "${config.act_fn}" is not supported (only "silu")`);
  if (problems.length > 0) throw new Error(`Unsupported AutoencoderKL config: ${problems.join('; ')}. This builder makes SD 1.x VAEs; extend onnx-graph/vae.ts for others.`);
}

export function buildVaeEncoder(config: AutoencoderKLConfig, weights: WeightSource): GraphBuilder {
  checkVaeConfig(config);
  const graph = new GraphBuilder('vae_encoder');
  const ctx: LayerContext = { graph, weights };
  const channels = config.block_out_channels;
  const groups = config.norm_num_groups;
  const image = graph.input(VAE_ENCODER_IO.input, 'float32', ['batch_size', config.in_channels, 'height', 'width']);

  let h = conv2d(ctx, 'encoder.conv_in', image, { inChannels: config.in_channels, outChannels: channels[0], kernelSize: 3 });
  let hChannels = channels[0];
  channels.forEach((outChannels, i) => {
    for (let j = 0; j < config.layers_per_block; j++) {
      h = resnetBlock(ctx, `encoder.down_blocks.${i}.resnets.${j}`, h, { inChannels: hChannels, outChannels, groups, epsilon: EPSILON });
      hChannels = outChannels;
    }
    if (i < channels.length - 1) h = downsample(ctx, `encoder.down_blocks.${i}.downsamplers.0`, h, hChannels, 'bottom-right');
  });
  h = midBlock(ctx, 'encoder.mid_block', h, hChannels, groups);
  h = silu(graph, groupNorm(ctx, 'encoder.conv_norm_out', h, hChannels, groups, EPSILON));
  // double_z: mean and logvar, stacked on channels.
  const moments = 2 * config.latent_channels;
  h = conv2d(ctx, 'encoder.conv_out', h, { inChannels: hChannels, outChannels: moments, kernelSize: 3 });
  h = conv2d(ctx, 'quant_conv', h, { inChannels: moments, outChannels: moments, kernelSize: 1 });
  graph.output(VAE_ENCODER_IO.output, h, 'float32', ['batch_size', moments, 'height_latent', 'width_latent']);
  return graph;
}

export function buildVaeDecoder(config: AutoencoderKLConfig, weights: WeightSource): GraphBuilder {
  checkVaeConfig(config);
  const graph = new GraphBuilder('vae_decoder');
  const ctx: LayerContext = { graph, weights };
  const channels = [...config.block_out_channels].reverse();
  const groups = config.norm_num_groups;
  const latents = graph.input(VAE_DECODER_IO.input, 'float32', ['batch_size', config.latent_channels, 'height_latent', 'width_latent']);

  let h = conv2d(ctx, 'post_quant_conv', latents, { inChannels: config.latent_channels, outChannels: config.latent_channels, kernelSize: 1 });
  h = conv2d(ctx, 'decoder.conv_in', h, { inChannels: config.latent_channels, outChannels: channels[0], kernelSize: 3 });
  let hChannels = channels[0];
  h = midBlock(ctx, 'decoder.mid_block', h, hChannels, groups);
  channels.forEach((outChannels, i) => {
    for (let j = 0; j <= config.layers_per_block; j++) {
      h = resnetBlock(ctx, `decoder.up_blocks.${i}.resnets.${j}`, h, { inChannels: hChannels, outChannels, groups, epsilon: EPSILON });
      hChannels = outChannels;
    }
    if (i < channels.length - 1) h = upsample(ctx, `decoder.up_blocks.${i}.upsamplers.0`, h, hChannels);
  });
  h = silu(graph, groupNorm(ctx, 'decoder.conv_norm_out', h, hChannels, groups, EPSILON));
  h = conv2d(ctx, 'decoder.conv_out', h, { inChannels: hChannels, outChannels: config.out_channels, kernelSize: 3 });
  graph.output(VAE_DECODER_IO.output, h, 'float32', ['batch_size', config.out_channels, 'height', 'width']);
  return graph;
}

/** UNetMidBlock2D: resnet, single-head attention over all positions (with residual), resnet. */
function midBlock(ctx: LayerContext, name: string, x: string, channels: number, groups: number): string {
  const g = ctx.graph;
  let h = resnetBlock(ctx, `${name}.resnets.0`, x, { inChannels: channels, outChannels: channels, groups, epsilon: EPSILON });
  const tokens = toTokens(g, groupNorm(ctx, `${name}.attentions.0.group_norm`, h, channels, groups, EPSILON));
  const attended = diffusersAttention(ctx, `${name}.attentions.0`, tokens, undefined, {
    queryDim: channels,
    contextDim: channels,
    heads: 1,
    headDim: channels,
    qkvBias: true,
  });
  h = add(g, fromTokens(g, attended, h), h);
  return resnetBlock(ctx, `${name}.resnets.1`, h, { inChannels: channels, outChannels: channels, groups, epsilon: EPSILON });
}
