/**
 * The tiny Stable Diffusion model: SD1.5's architecture and folder layout at a width that runs in
 * tens of milliseconds on a CPU, with seeded random weights. Its files mirror a Hugging Face optimum
 * ONNX export of SD 1.5 (same folders, file names, input/output names, dtypes and config keys), so
 * every code path that loads a real model is exercised by the tests.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { GraphBuilder } from '../../companion-server/engine/onnx-graph/graph-builder';
import { buildClipTextEncoder, type CLIPTextConfig } from '../../companion-server/engine/onnx-graph/clip-text';
import { buildUnet, type UNet2DConditionConfig } from '../../companion-server/engine/onnx-graph/unet';
import { buildVaeDecoder, buildVaeEncoder, type AutoencoderKLConfig } from '../../companion-server/engine/onnx-graph/vae';
import { seededWeightSource, type WeightSource } from '../../companion-server/engine/onnx-graph/weights';
import { END_OF_TEXT, START_OF_TEXT, mergesText, trainClipBpe, vocabJson, type BpeVocabulary } from './bpe-trainer';
import { PROMPT_CORPUS } from './prompt-corpus';

export const DEFAULT_SEED = 1;
/** "A few hundred" merges: enough that common prompt words are single tokens. */
export const MERGE_COUNT = 400;
/** Written into every config as diffusers' format version (the key layout we follow). */
const DIFFUSERS_VERSION = '0.30.0';
const TRANSFORMERS_VERSION = '4.44.0';
const MODEL_MAX_LENGTH = 77;

export const TINY_UNET_CONFIG: UNet2DConditionConfig = {
  in_channels: 4,
  out_channels: 4,
  sample_size: 32,
  block_out_channels: [32, 64],
  layers_per_block: 1,
  down_block_types: ['CrossAttnDownBlock2D', 'DownBlock2D'],
  up_block_types: ['UpBlock2D', 'CrossAttnUpBlock2D'],
  attention_head_dim: 2,
  cross_attention_dim: 32,
  norm_num_groups: 8,
  norm_eps: 1e-5,
  flip_sin_to_cos: true,
  freq_shift: 0,
  act_fn: 'silu',
  mid_block_type: 'UNetMidBlock2DCrossAttn',
  use_linear_projection: false,
  transformer_layers_per_block: 1,
  downsample_padding: 1,
};

export const TINY_VAE_CONFIG: AutoencoderKLConfig = {
  in_channels: 3,
  out_channels: 3,
  latent_channels: 4,
  block_out_channels: [16, 32, 32, 32],
  layers_per_block: 1,
  norm_num_groups: 8,
  sample_size: 256,
  scaling_factor: 0.18215,
  down_block_types: ['DownEncoderBlock2D', 'DownEncoderBlock2D', 'DownEncoderBlock2D', 'DownEncoderBlock2D'],
  up_block_types: ['UpDecoderBlock2D', 'UpDecoderBlock2D', 'UpDecoderBlock2D', 'UpDecoderBlock2D'],
  act_fn: 'silu',
};

export function tinyTextConfig(vocabSize: number): CLIPTextConfig {
  return {
    vocab_size: vocabSize,
    hidden_size: 32,
    intermediate_size: 128,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    max_position_embeddings: MODEL_MAX_LENGTH,
    hidden_act: 'quick_gelu',
    layer_norm_eps: 1e-5,
  };
}

/** SD 1.5's scheduler/scheduler_config.json, value for value. */
export const SD15_SCHEDULER_CONFIG = {
  _class_name: 'PNDMScheduler',
  _diffusers_version: DIFFUSERS_VERSION,
  beta_end: 0.012,
  beta_schedule: 'scaled_linear',
  beta_start: 0.00085,
  clip_sample: false,
  num_train_timesteps: 1000,
  prediction_type: 'epsilon',
  set_alpha_to_one: false,
  skip_prk_steps: true,
  steps_offset: 1,
  timestep_spacing: 'leading',
  trained_betas: null,
};

/**
 * The UNet's init gain. Plain fan-in scaling (gain 1) keeps the noise prediction O(1) (std ~0.55)
 * while its sensitivity to the latent stays below 1, which is what makes DDIM inversion roughly
 * invertible: at the default gain 1.6 the inversion error up 40 of 50 steps is ~55 %, at gain 1 ~23 %.
 */
export const UNET_GAIN = 1;

/**
 * With fan-in init the encoder's mean channels come out with std ~1.4, so latents scaled by
 * scaling_factor would have std ~0.25. Real SD latents times 0.18215 have std ~1, and the scheduler
 * and the brush assume that noise and latents share a scale: the mean rows of quant_conv get this gain
 * (the logvar rows keep theirs, so the distribution's std stays sane).
 */
export const LATENT_MEAN_GAIN = 4;

function withUnitScaledLatents(source: WeightSource, latentChannels: number): WeightSource {
  return (name, shape) => {
    const data = source(name, shape);
    if (name !== 'quant_conv.weight') return data;
    const rowSize = data.length / shape[0];
    for (let i = 0; i < latentChannels * rowSize; i++) data[i] *= LATENT_MEAN_GAIN;
    return data;
  };
}

export interface TinySdFile {
  /** Path inside the model folder, with "/" separators. */
  path: string;
  bytes: Uint8Array;
}

export interface TinySd {
  files: TinySdFile[];
  parameterCounts: Record<'text_encoder' | 'unet' | 'vae_encoder' | 'vae_decoder', number>;
}

/** Builds every file of the tiny model in memory; the same seed always gives the same bytes. */
export function buildTinySd(seed = DEFAULT_SEED): TinySd {
  const weights = seededWeightSource(seed);
  const vocabulary = trainClipBpe(PROMPT_CORPUS, MERGE_COUNT);
  const textConfig = tinyTextConfig(vocabulary.vocab.size);
  const textEncoder = buildClipTextEncoder(textConfig, weights);
  const unet = buildUnet(TINY_UNET_CONFIG, seededWeightSource(seed, UNET_GAIN));
  const vaeWeights = withUnitScaledLatents(weights, TINY_VAE_CONFIG.latent_channels);
  const vaeEncoder = buildVaeEncoder(TINY_VAE_CONFIG, vaeWeights);
  const vaeDecoder = buildVaeDecoder(TINY_VAE_CONFIG, vaeWeights);

  const unetModel = unet.serialize({ externalData: { fileName: 'model.onnx_data' } });
  const files: TinySdFile[] = [
    json('model_index.json', modelIndex()),
    json('scheduler/scheduler_config.json', SD15_SCHEDULER_CONFIG),
    ...tokenizerFiles(vocabulary),
    json('text_encoder/config.json', textEncoderConfigJson(textConfig, vocabulary)),
    onnx('text_encoder/model.onnx', textEncoder),
    json('unet/config.json', { _class_name: 'UNet2DConditionModel', _diffusers_version: DIFFUSERS_VERSION, ...TINY_UNET_CONFIG }),
    { path: 'unet/model.onnx', bytes: unetModel.model },
    { path: 'unet/model.onnx_data', bytes: unetModel.externalData as Uint8Array },
    json('vae_encoder/config.json', vaeConfigJson()),
    onnx('vae_encoder/model.onnx', vaeEncoder),
    json('vae_decoder/config.json', vaeConfigJson()),
    onnx('vae_decoder/model.onnx', vaeDecoder),
  ];
  return {
    files,
    parameterCounts: {
      text_encoder: textEncoder.parameterCount,
      unet: unet.parameterCount,
      vae_encoder: vaeEncoder.parameterCount,
      vae_decoder: vaeDecoder.parameterCount,
    },
  };
}

/** Writes the tiny model into `directory` (created if needed) and returns what was written. */
export function writeTinySd(directory: string, seed = DEFAULT_SEED): TinySd {
  const model = buildTinySd(seed);
  for (const file of model.files) {
    const target = join(directory, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.bytes);
  }
  return model;
}

function modelIndex() {
  const onnxRuntimeModel = ['diffusers', 'OnnxRuntimeModel'];
  return {
    _class_name: 'OnnxStableDiffusionPipeline',
    _diffusers_version: DIFFUSERS_VERSION,
    feature_extractor: [null, null],
    requires_safety_checker: false,
    safety_checker: [null, null],
    scheduler: ['diffusers', 'PNDMScheduler'],
    text_encoder: onnxRuntimeModel,
    tokenizer: ['transformers', 'CLIPTokenizer'],
    unet: onnxRuntimeModel,
    vae_decoder: onnxRuntimeModel,
    vae_encoder: onnxRuntimeModel,
  };
}

function vaeConfigJson() {
  return { _class_name: 'AutoencoderKL', _diffusers_version: DIFFUSERS_VERSION, ...TINY_VAE_CONFIG };
}

function textEncoderConfigJson(config: CLIPTextConfig, vocabulary: BpeVocabulary) {
  return {
    architectures: ['CLIPTextModel'],
    attention_dropout: 0,
    bos_token_id: vocabulary.vocab.get(START_OF_TEXT),
    dropout: 0,
    eos_token_id: vocabulary.vocab.get(END_OF_TEXT),
    initializer_factor: 1,
    initializer_range: 0.02,
    model_type: 'clip_text_model',
    pad_token_id: vocabulary.vocab.get(END_OF_TEXT),
    projection_dim: config.hidden_size,
    torch_dtype: 'float32',
    transformers_version: TRANSFORMERS_VERSION,
    ...config,
  };
}

/** The four tokenizer files of SD 1.5's tokenizer/ folder (CLIPTokenizer, padding with <|endoftext|>). */
function tokenizerFiles(vocabulary: BpeVocabulary): TinySdFile[] {
  const special = (content: string) => ({ content, lstrip: false, normalized: true, rstrip: false, single_word: false });
  return [
    text('tokenizer/vocab.json', vocabJson(vocabulary)),
    text('tokenizer/merges.txt', mergesText(vocabulary)),
    json('tokenizer/special_tokens_map.json', {
      bos_token: special(START_OF_TEXT),
      eos_token: special(END_OF_TEXT),
      pad_token: END_OF_TEXT,
      unk_token: special(END_OF_TEXT),
    }),
    json('tokenizer/tokenizer_config.json', {
      add_prefix_space: false,
      bos_token: { __type: 'AddedToken', ...special(START_OF_TEXT) },
      clean_up_tokenization_spaces: true,
      do_lower_case: true,
      eos_token: { __type: 'AddedToken', ...special(END_OF_TEXT) },
      errors: 'replace',
      model_max_length: MODEL_MAX_LENGTH,
      pad_token: END_OF_TEXT,
      tokenizer_class: 'CLIPTokenizer',
      unk_token: { __type: 'AddedToken', ...special(END_OF_TEXT) },
    }),
  ];
}

function json(path: string, value: unknown): TinySdFile {
  return text(path, `${JSON.stringify(value, null, 2)}\n`);
}

function text(path: string, content: string): TinySdFile {
  return { path, bytes: new TextEncoder().encode(content) };
}

function onnx(path: string, graph: GraphBuilder): TinySdFile {
  return { path, bytes: graph.serialize().model };
}
