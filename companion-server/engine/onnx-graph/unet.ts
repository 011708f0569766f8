/**
 * UNet2DConditionModel (SD1.x) as an ONNX graph, configured by the keys of diffusers' unet/config.json
 * and named like diffusers' state dict (src/diffusers/models/unets/unet_2d_condition.py and
 * unet_2d_blocks.py). Inputs and outputs are those of a Hugging Face optimum export.
 */
import { GraphBuilder } from './graph-builder';
import { concatChannels, conv2d, groupNorm, linear, silu, sinusoidalTimestepEmbedding, type LayerContext } from './layers';
import { downsample, resnetBlock, upsample } from './resnet';
import { spatialTransformer } from './transformer';
import type { WeightSource } from './weights';

export type UnetDownBlockType = 'CrossAttnDownBlock2D' | 'DownBlock2D';
export type UnetUpBlockType = 'CrossAttnUpBlock2D' | 'UpBlock2D';

/** The subset of diffusers' UNet2DConditionModel config that SD1.x uses; other keys are checked by `checkUnetConfig`. */
export interface UNet2DConditionConfig {
  in_channels: number;
  out_channels: number;
  sample_size: number;
  block_out_channels: number[];
  layers_per_block: number;
  down_block_types: UnetDownBlockType[];
  up_block_types: UnetUpBlockType[];
  /** Despite the name, diffusers uses this as the NUMBER of heads when num_attention_heads is unset. */
  attention_head_dim: number | number[];
  num_attention_heads?: number | number[] | null;
  cross_attention_dim: number;
  norm_num_groups: number;
  norm_eps: number;
  flip_sin_to_cos: boolean;
  freq_shift: number;
  act_fn?: string;
  mid_block_type?: string | null;
  use_linear_projection?: boolean;
  transformer_layers_per_block?: number;
  downsample_padding?: number;
  addition_embed_type?: string | null;
  class_embed_type?: string | null;
}

export const UNET_IO = { sample: 'sample', timestep: 'timestep', encoderHiddenStates: 'encoder_hidden_states', output: 'out_sample' } as const;

const DOWN_BLOCK_TYPES: readonly string[] = ['CrossAttnDownBlock2D', 'DownBlock2D'];
const UP_BLOCK_TYPES: readonly string[] = ['CrossAttnUpBlock2D', 'UpBlock2D'];

/** Refuses configs this builder would silently get wrong, naming the key and what is supported. */
export function checkUnetConfig(config: UNet2DConditionConfig): void {
  const problems: string[] = [];
  const blocks = config.block_out_channels.length;
  if (config.down_block_types.length !== blocks || config.up_block_types.length !== blocks) {
    problems.push(`down_block_types and up_block_types need one entry per block_out_channels entry (${blocks})`);
  }
  for (const type of config.down_block_types) if (!DOWN_BLOCK_TYPES.includes(type)) problems.push(`down block "${type}" is not one of ${DOWN_BLOCK_TYPES.join(', ')}`);
  for (const type of config.up_block_types) if (!UP_BLOCK_TYPES.includes(type)) problems.push(`up block "${type}" is not one of ${UP_BLOCK_TYPES.join(', ')}`);
  if ((config.act_fn ?? 'silu') !== 'silu') problems.push(`act_fn "${config.act_fn}" is not supported (only "silu")`);
  if ((config.mid_block_type ?? 'UNetMidBlock2DCrossAttn') !== 'UNetMidBlock2DCrossAttn') problems.push(`mid_block_type "${config.mid_block_type}" is not supported (only UNetMidBlock2DCrossAttn)`);
  if (config.use_linear_projection) problems.push('use_linear_projection (SD2.x) is not supported yet: only SD1.x UNets');
  if ((config.downsample_padding ?? 1) !== 1) problems.push(`downsample_padding ${config.downsample_padding} is not supported (only 1)`);
  if (config.addition_embed_type || config.class_embed_type) problems.push('class/addition embeddings (SDXL and variants) are not supported: only SD1.x UNets');
  if (problems.length > 0) throw new Error(`Unsupported UNet config: ${problems.join('; ')}. This builder makes SD 1.x UNets; extend onnx-graph/unet.ts for others.`);
}

/** Heads per down block (diffusers' attention_head_dim naming quirk: it is a head count for SD1.x). */
function headsPerBlock(config: UNet2DConditionConfig): number[] {
  const heads = config.num_attention_heads ?? config.attention_head_dim;
  return Array.isArray(heads) ? heads : config.block_out_channels.map(() => heads);
}

export function buildUnet(config: UNet2DConditionConfig, weights: WeightSource): GraphBuilder {
  checkUnetConfig(config);
  const graph = new GraphBuilder('unet');
  const ctx: LayerContext = { graph, weights };
  const channels = config.block_out_channels;
  const groups = config.norm_num_groups;
  const epsilon = config.norm_eps;
  const heads = headsPerBlock(config);
  const transformerLayers = config.transformer_layers_per_block ?? 1;
  const crossAttentionDim = config.cross_attention_dim;

  const sample = graph.input(UNET_IO.sample, 'float32', ['batch_size', config.in_channels, 'height', 'width']);
  const timestep = graph.input(UNET_IO.timestep, 'int64', [1]);
  const text = graph.input(UNET_IO.encoderHiddenStates, 'float32', ['batch_size', 'sequence_length', crossAttentionDim]);

  // 1. time: sinusoidal projection of the timestep, then the MLP; resnets take SiLU(embedding).
  const timeChannels = channels[0] * 4;
  const projected = sinusoidalTimestepEmbedding(graph, timestep, { dim: channels[0], flipSinToCos: config.flip_sin_to_cos, freqShift: config.freq_shift });
  const embedding = linear(ctx, 'time_embedding.linear_2', silu(graph, linear(ctx, 'time_embedding.linear_1', projected, channels[0], timeChannels)), timeChannels, timeChannels);
  const timeEmbedding = { value: silu(graph, embedding), channels: timeChannels };
  const resnet = (name: string, x: string, inChannels: number, outChannels: number) =>
    resnetBlock(ctx, name, x, { inChannels, outChannels, groups, epsilon, timeEmbedding });
  const transformer = (name: string, x: string, width: number, headCount: number) =>
    spatialTransformer(ctx, name, x, text, { channels: width, heads: headCount, crossAttentionDim, groups, layers: transformerLayers });

  // 2. down: every resnet(+attention) output and every downsampled map is kept for the up path.
  let h = conv2d(ctx, 'conv_in', sample, { inChannels: config.in_channels, outChannels: channels[0], kernelSize: 3 });
  const skips: { value: string; channels: number }[] = [{ value: h, channels: channels[0] }];
  let hChannels = channels[0];
  config.down_block_types.forEach((type, i) => {
    const block = `down_blocks.${i}`;
    for (let j = 0; j < config.layers_per_block; j++) {
      h = resnet(`${block}.resnets.${j}`, h, hChannels, channels[i]);
      hChannels = channels[i];
      if (type === 'CrossAttnDownBlock2D') h = transformer(`${block}.attentions.${j}`, h, hChannels, heads[i]);
      skips.push({ value: h, channels: hChannels });
    }
    if (i < channels.length - 1) {
      h = downsample(ctx, `${block}.downsamplers.0`, h, hChannels, 'symmetric');
      skips.push({ value: h, channels: hChannels });
    }
  });

  // 3. mid: resnet, transformer, resnet at the lowest resolution.
  const deepest = channels.length - 1;
  h = resnet('mid_block.resnets.0', h, hChannels, hChannels);
  h = transformer('mid_block.attentions.0', h, hChannels, heads[deepest]);
  h = resnet('mid_block.resnets.1', h, hChannels, hChannels);

  // 4. up: layers_per_block + 1 resnets per block, each fed the last unused skip concatenated on channels.
  config.up_block_types.forEach((type, i) => {
    const block = `up_blocks.${i}`;
    const level = deepest - i;
    for (let j = 0; j <= config.layers_per_block; j++) {
      const skip = skips.pop();
      if (!skip) throw new Error('UNet skip connections ran out: down and up block counts differ.');
      h = resnet(`${block}.resnets.${j}`, concatChannels(graph, [h, skip.value]), hChannels + skip.channels, channels[level]);
      hChannels = channels[level];
      if (type === 'CrossAttnUpBlock2D') h = transformer(`${block}.attentions.${j}`, h, hChannels, heads[level]);
    }
    if (i < channels.length - 1) h = upsample(ctx, `${block}.upsamplers.0`, h, hChannels);
  });

  // 5. out.
  h = silu(graph, groupNorm(ctx, 'conv_norm_out', h, hChannels, groups, epsilon));
  h = conv2d(ctx, 'conv_out', h, { inChannels: hChannels, outChannels: config.out_channels, kernelSize: 3 });
  graph.output(UNET_IO.output, h, 'float32', ['batch_size', config.out_channels, 'height', 'width']);
  return graph;
}
