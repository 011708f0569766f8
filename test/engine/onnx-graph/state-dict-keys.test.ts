/**
 * The builders must ask for exactly the tensors of the real checkpoints, so a converter can feed
 * SD 1.5's safetensors through them. The configs below have SD 1.5's structure (block types, layer
 * and head counts) at a small width; the key counts are those of SD 1.5's state dicts.
 */
import { buildClipTextEncoder, type CLIPTextConfig } from '../../../companion-server/engine/onnx-graph/clip-text';
import { buildUnet, type UNet2DConditionConfig } from '../../../companion-server/engine/onnx-graph/unet';
import { buildVaeDecoder, buildVaeEncoder, type AutoencoderKLConfig } from '../../../companion-server/engine/onnx-graph/vae';
import { recordingWeights } from './run-graph';

const SD15_SHAPED_UNET: UNet2DConditionConfig = {
  in_channels: 4,
  out_channels: 4,
  sample_size: 64,
  block_out_channels: [8, 16, 32, 32],
  layers_per_block: 2,
  down_block_types: ['CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'DownBlock2D'],
  up_block_types: ['UpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D'],
  attention_head_dim: 8,
  cross_attention_dim: 24,
  norm_num_groups: 8,
  norm_eps: 1e-5,
  flip_sin_to_cos: true,
  freq_shift: 0,
};

const SD15_SHAPED_VAE: AutoencoderKLConfig = {
  in_channels: 3,
  out_channels: 3,
  latent_channels: 4,
  block_out_channels: [8, 16, 32, 32],
  layers_per_block: 2,
  norm_num_groups: 8,
  sample_size: 512,
  scaling_factor: 0.18215,
  down_block_types: Array(4).fill('DownEncoderBlock2D'),
  up_block_types: Array(4).fill('UpDecoderBlock2D'),
};

const SD15_SHAPED_TEXT: CLIPTextConfig = {
  vocab_size: 100,
  hidden_size: 24,
  intermediate_size: 96,
  num_hidden_layers: 12,
  num_attention_heads: 4,
  max_position_embeddings: 77,
  hidden_act: 'quick_gelu',
  layer_norm_eps: 1e-5,
};

describe('UNet2DConditionModel builder', () => {
  const { source, shapes } = recordingWeights();
  buildUnet(SD15_SHAPED_UNET, source);

  test("asks for the 686 tensors of SD 1.5's UNet state dict", () => {
    expect(shapes.size).toBe(686);
  });

  test.each([
    ['conv_in.weight', [8, 4, 3, 3]],
    ['time_embedding.linear_1.weight', [32, 8]],
    ['down_blocks.0.attentions.1.transformer_blocks.0.attn2.to_k.weight', [8, 24]],
    ['down_blocks.0.attentions.1.transformer_blocks.0.ff.net.0.proj.weight', [64, 8]],
    ['down_blocks.1.resnets.0.conv_shortcut.weight', [16, 8, 1, 1]],
    ['down_blocks.2.downsamplers.0.conv.weight', [32, 32, 3, 3]],
    ['mid_block.attentions.0.proj_out.weight', [32, 32, 1, 1]],
    ['up_blocks.0.resnets.2.conv1.weight', [32, 64, 3, 3]],
    ['up_blocks.1.resnets.2.conv1.weight', [32, 48, 3, 3]],
    ['up_blocks.3.resnets.0.conv1.weight', [8, 24, 3, 3]],
    ['up_blocks.3.attentions.2.transformer_blocks.0.attn1.to_out.0.bias', [8]],
    ['conv_out.weight', [4, 8, 3, 3]],
  ])('%s has the shape SD 1.5 has (scaled): %j', (name, shape) => {
    expect(shapes.get(name)).toEqual(shape);
  });

  test('refuses block types and options it does not implement, naming them', () => {
    expect(() => buildUnet({ ...SD15_SHAPED_UNET, down_block_types: ['CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'AttnDownBlock2D' as never] }, source)).toThrow(
      /down block "AttnDownBlock2D" is not one of CrossAttnDownBlock2D, DownBlock2D/,
    );
    expect(() => buildUnet({ ...SD15_SHAPED_UNET, use_linear_projection: true }, source)).toThrow(/use_linear_projection/);
    expect(() => buildUnet({ ...SD15_SHAPED_UNET, addition_embed_type: 'text_time' }, source)).toThrow(/SDXL/);
  });

  test('names the fix when channels do not divide into groups', () => {
    expect(() => buildUnet({ ...SD15_SHAPED_UNET, norm_num_groups: 3 }, source)).toThrow(/pick norm_num_groups dividing/);
  });
});

describe('AutoencoderKL builders', () => {
  const { source, shapes } = recordingWeights();
  buildVaeEncoder(SD15_SHAPED_VAE, source);
  buildVaeDecoder(SD15_SHAPED_VAE, source);

  test("ask for the 248 tensors of SD 1.5's VAE state dict between them", () => {
    expect(shapes.size).toBe(248);
  });

  test.each([
    ['encoder.down_blocks.0.downsamplers.0.conv.weight', [8, 8, 3, 3]],
    ['encoder.mid_block.attentions.0.to_q.bias', [32]],
    ['encoder.conv_out.weight', [8, 32, 3, 3]],
    ['quant_conv.weight', [8, 8, 1, 1]],
    ['post_quant_conv.weight', [4, 4, 1, 1]],
    ['decoder.up_blocks.3.resnets.0.conv_shortcut.weight', [8, 16, 1, 1]],
    ['decoder.up_blocks.2.upsamplers.0.conv.weight', [16, 16, 3, 3]],
    ['decoder.conv_out.weight', [3, 8, 3, 3]],
  ])('%s has the shape SD 1.5 has (scaled): %j', (name, shape) => {
    expect(shapes.get(name)).toEqual(shape);
  });
});

describe('CLIPTextModel builder', () => {
  const { source, shapes } = recordingWeights();
  buildClipTextEncoder(SD15_SHAPED_TEXT, source);

  test("asks for the 196 tensors of SD 1.5's text encoder state dict", () => {
    expect(shapes.size).toBe(196);
  });

  test.each([
    ['text_model.embeddings.token_embedding.weight', [100, 24]],
    ['text_model.embeddings.position_embedding.weight', [77, 24]],
    ['text_model.encoder.layers.11.self_attn.out_proj.weight', [24, 24]],
    ['text_model.encoder.layers.0.mlp.fc1.weight', [96, 24]],
    ['text_model.final_layer_norm.bias', [24]],
  ])('%s has the shape CLIP ViT-L/14 has (scaled): %j', (name, shape) => {
    expect(shapes.get(name)).toEqual(shape);
  });

  test('refuses an activation it does not implement', () => {
    expect(() => buildClipTextEncoder({ ...SD15_SHAPED_TEXT, hidden_act: 'relu' }, source)).toThrow(/hidden_act "relu" is not one of quick_gelu, gelu/);
  });
});
