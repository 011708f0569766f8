/**
 * Small model folders in each layout users have (optimum, diffusers' old conversion script, Olive
 * fp16), built with GraphBuilder. The graphs are arithmetic, not neural networks, so tests can
 * compute the expected outputs by hand:
 *   text_encoder: last_hidden_state[b, i, :] = embedding row input_ids[b, i], row k = [k, k+0.5, ...]
 *   unet:         out_sample = 0.5 * sample + 0.001 * timestep + mean(encoder_hidden_states[b])
 *   vae_decoder:  sample = latent channels 0..2, each cell repeated over an 8x8 block
 *   vae_encoder:  the 8x8 average of each image channel c gives latent channels [c0, c1, c2, c0]
 *                 (optimum: latent_parameters = those 4 then 4 "logvar" channels; old script: latent_sample).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GraphBuilder, attr, type Dim, type ElementType } from '../../companion-server/engine/onnx-graph/graph-builder';
import { FIXTURE_MERGES, FIXTURE_VOCAB } from './fixtures-clip-vocab';

export type FixtureLayout = 'optimum' | 'diffusers-script' | 'olive-fp16';

export interface FixtureModelOptions {
  layout: FixtureLayout;
  /** How the UNet declares its timestep: optimum uses a scalar or [batch], the old script [batch], Olive [1]. */
  timestepShape?: 'scalar' | 'batch' | 'one' | 'column';
  timestepType?: ElementType;
  /** Per-component config.json files (optimum and Olive write them; the old script does not). */
  configs?: boolean;
  /** MatMuls of 512x512 added to each UNet run, to make it slow enough to observe. */
  unetMatMuls?: number;
  /** Files to leave out, relative to the folder (e.g. 'unet/model.onnx'). */
  omit?: readonly string[];
  /** Token positions the text encoder declares (CLIP: 77). */
  textEncoderLength?: number;
  /** Override the tokenizer's pad token (SD2 pads with '!'). */
  padToken?: string;
  /** Replace one input declaration: (component, input name) -> element type. */
  inputTypeOverride?: { component: 'text_encoder' | 'unet' | 'vae_decoder'; input: string; type: ElementType };
}

export const FIXTURE_HIDDEN = 8;
export const FIXTURE_SCALING_FACTOR = 0.5;
export const FIXTURE_SAMPLE_SIZE = 4;
export const FIXTURE_TEXT_LENGTH = 77;

const DEFAULTS: Record<FixtureLayout, Required<Pick<FixtureModelOptions, 'timestepShape' | 'timestepType' | 'configs'>>> = {
  optimum: { timestepShape: 'scalar', timestepType: 'int64', configs: true },
  'diffusers-script': { timestepShape: 'batch', timestepType: 'int64', configs: false },
  'olive-fp16': { timestepShape: 'one', timestepType: 'float16', configs: true },
};

/** A fresh temporary folder holding a fixture model; remove it with removeFixture. */
export function makeFixtureModel(options: FixtureModelOptions): string {
  const directory = mkdtempSync(join(tmpdir(), `sd-fixture-${options.layout}-`));
  writeFixtureModel(directory, options);
  return directory;
}

export function removeFixture(directory: string): void {
  rmSync(directory, { recursive: true, force: true });
}

export function writeFixtureModel(directory: string, options: FixtureModelOptions): void {
  const settings = { ...DEFAULTS[options.layout], ...options };
  const float: ElementType = options.layout === 'olive-fp16' ? 'float16' : 'float32';
  const idsType: ElementType = options.layout === 'olive-fp16' ? 'int32' : 'int64';
  const typeOf = (component: string, input: string, fallback: ElementType) =>
    options.inputTypeOverride?.component === component && options.inputTypeOverride.input === input ? options.inputTypeOverride.type : fallback;
  const files = new Map<string, Uint8Array | string>();
  const json = (path: string, value: unknown) => files.set(path, `${JSON.stringify(value, null, 2)}\n`);

  json('model_index.json', { _class_name: options.layout === 'optimum' ? 'ORTStableDiffusionPipeline' : 'OnnxStableDiffusionPipeline' });
  json('scheduler/scheduler_config.json', {
    _class_name: 'PNDMScheduler',
    num_train_timesteps: 1000,
    beta_start: 0.00085,
    beta_end: 0.012,
    beta_schedule: 'scaled_linear',
    steps_offset: 1,
    set_alpha_to_one: false,
    clip_sample: false,
  });
  json('tokenizer/vocab.json', FIXTURE_VOCAB);
  files.set('tokenizer/merges.txt', `#version: 0.2\n${FIXTURE_MERGES.join('\n')}\n`);
  const pad = options.padToken ?? '<|endoftext|>';
  json('tokenizer/tokenizer_config.json', { model_max_length: FIXTURE_TEXT_LENGTH, pad_token: pad, bos_token: '<|startoftext|>', eos_token: '<|endoftext|>' });
  json('tokenizer/special_tokens_map.json', { pad_token: pad });

  const textLength = options.textEncoderLength ?? FIXTURE_TEXT_LENGTH;
  files.set('text_encoder/model.onnx', textEncoder(typeOf('text_encoder', 'input_ids', idsType), float, textLength).serialize().model);
  const unetGraph = unet(settings, typeOf('unet', 'sample', float), float);
  const external = options.layout === 'optimum' ? 'model.onnx_data' : options.layout === 'diffusers-script' ? 'weights.pb' : undefined;
  const serializedUnet = unetGraph.serialize(external ? { externalData: { fileName: external, minBytes: 64 } } : {});
  files.set('unet/model.onnx', serializedUnet.model);
  if (external && serializedUnet.externalData) files.set(`unet/${external}`, serializedUnet.externalData);
  files.set('vae_decoder/model.onnx', vaeDecoder(typeOf('vae_decoder', 'latent_sample', float), float).serialize().model);
  files.set('vae_encoder/model.onnx', vaeEncoder(options.layout === 'diffusers-script' ? 'latent_sample' : 'latent_parameters', float).serialize().model);
  if (settings.configs) {
    json('unet/config.json', { sample_size: FIXTURE_SAMPLE_SIZE, in_channels: 4, out_channels: 4, block_out_channels: [8, 16] });
    const vae = { scaling_factor: FIXTURE_SCALING_FACTOR, latent_channels: 4, block_out_channels: [8, 8, 8, 8] };
    json('vae_decoder/config.json', vae);
    json('vae_encoder/config.json', vae);
  }
  for (const path of options.omit ?? []) files.delete(path);
  for (const [path, content] of files) {
    mkdirSync(dirname(join(directory, path)), { recursive: true });
    writeFileSync(join(directory, path), content);
  }
}

/** A graph input of `type`, computed on in float32 (Olive graphs are fp16 at their edges only). */
function floatInput(g: GraphBuilder, name: string, type: ElementType, dims: readonly Dim[]): string {
  const value = g.input(name, type, dims);
  return type === 'float32' ? value : g.node('Cast', [value], { to: attr.int(1) });
}

function floatOutput(g: GraphBuilder, name: string, value: string, type: ElementType, dims: readonly Dim[]): void {
  g.output(name, type === 'float32' ? value : g.node('Cast', [value], { to: attr.int(type === 'float16' ? 10 : 1) }), type, dims);
}

function textEncoder(idsType: ElementType, float: ElementType, length: number): GraphBuilder {
  const g = new GraphBuilder('text_encoder');
  const ids = g.input('input_ids', idsType, ['batch', length]);
  const vocabSize = Object.keys(FIXTURE_VOCAB).length;
  const table = Float32Array.from({ length: vocabSize * FIXTURE_HIDDEN }, (_, i) => Math.floor(i / FIXTURE_HIDDEN) + 0.5 * (i % FIXTURE_HIDDEN));
  const embedding = g.initializer('embeddings', 'float32', [vocabSize, FIXTURE_HIDDEN], table);
  const indices = idsType.startsWith('int') ? ids : g.node('Cast', [ids], { to: attr.int(7) });
  floatOutput(g, 'last_hidden_state', g.node('Gather', [embedding, indices]), float, ['batch', length, FIXTURE_HIDDEN]);
  return g;
}

function unet(settings: FixtureModelOptions & typeof DEFAULTS.optimum, sampleType: ElementType, float: ElementType): GraphBuilder {
  const g = new GraphBuilder('unet');
  const latentDims: Dim[] = ['batch', 4, 'height', 'width'];
  const sample = floatInput(g, 'sample', sampleType, latentDims);
  const timestepDims: Dim[] = { scalar: [], batch: ['batch'], one: [1], column: ['batch', 1] }[settings.timestepShape];
  const timestep = g.input('timestep', settings.timestepType, timestepDims);
  const hidden = floatInput(g, 'encoder_hidden_states', float, ['batch', FIXTURE_TEXT_LENGTH, FIXTURE_HIDDEN]);
  const t = g.node('Reshape', [g.node('Cast', [timestep], { to: attr.int(1) }), g.int64s('per_item', [-1, 1, 1, 1])]);
  const context = g.node('Reshape', [g.node('ReduceMean', [hidden], { axes: attr.ints([1, 2]), keepdims: attr.int(0) }), g.int64s('per_item', [-1, 1, 1, 1])]);
  // An identity 1x1 convolution: a weight big enough (64 bytes) to go to the external data file.
  const identity = g.initializer('conv_in.weight', 'float32', [4, 4, 1, 1], Float32Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 1 : 0)));
  const mixed = g.node('Conv', [sample, identity]);
  let out = g.node('Add', [g.node('Mul', [mixed, g.floats('half', [], [0.5])]), g.node('Mul', [t, g.floats('milli', [], [0.001])])]);
  out = g.node('Add', [out, context]);
  if (settings.unetMatMuls) out = g.node('Add', [out, slowZero(g, sample, settings.unetMatMuls)]);
  floatOutput(g, 'out_sample', out, float, latentDims);
  return g;
}

/** Zero, computed the slow way from the input so onnxruntime can neither fold nor skip it. */
function slowZero(g: GraphBuilder, sample: string, matMuls: number): string {
  const size = 512;
  const level = g.node('ReduceMean', [sample], { keepdims: attr.int(0) });
  let m = g.node('Add', [g.floats('ones', [size, size], new Float32Array(size * size).fill(1 / size)), level]);
  for (let i = 0; i < matMuls; i++) m = g.node('MatMul', [m, g.floats('mixing', [size, size], new Float32Array(size * size).fill(1 / size))]);
  return g.node('Mul', [g.node('ReduceMean', [m], { keepdims: attr.int(0) }), g.floats('zero', [], [0])]);
}

function vaeDecoder(latentType: ElementType, float: ElementType): GraphBuilder {
  const g = new GraphBuilder('vae_decoder');
  const latents = floatInput(g, 'latent_sample', latentType, ['batch', 4, 'height', 'width']);
  const rgb = g.node('Slice', [latents, g.int64s('start', [0]), g.int64s('end', [3]), g.int64s('axis', [1])]);
  const image = g.node('Resize', [rgb, '', g.floats('scales', [4], [1, 1, 8, 8])], { mode: attr.string('nearest') });
  floatOutput(g, 'sample', image, float, ['batch', 3, 'image_height', 'image_width']);
  return g;
}

function vaeEncoder(output: 'latent_parameters' | 'latent_sample', float: ElementType): GraphBuilder {
  const g = new GraphBuilder('vae_encoder');
  const image = floatInput(g, 'sample', float, ['batch', 3, 'height', 'width']);
  const pooled = g.node('AveragePool', [image], { kernel_shape: attr.ints([8, 8]), strides: attr.ints([8, 8]) });
  const first = g.node('Slice', [pooled, g.int64s('start', [0]), g.int64s('end', [1]), g.int64s('axis', [1])]);
  const mean = g.node('Concat', [pooled, first], { axis: attr.int(1) });
  const latent = output === 'latent_parameters' ? g.node('Concat', [mean, g.node('Neg', [mean])], { axis: attr.int(1) }) : mean;
  floatOutput(g, output, latent, float, ['batch', output === 'latent_parameters' ? 8 : 4, 'latent_height', 'latent_width']);
  return g;
}
