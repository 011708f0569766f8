/**
 * PyTorch layers as ONNX subgraphs, written the way torch.onnx exports them at opset 17, with
 * parameters named by their state-dict keys. Every function takes the value name of its input and
 * returns the value name of its output; channel counts are passed explicitly because the weights'
 * shapes depend on them.
 */
import { onnx } from 'onnx-proto';
import { GraphBuilder, attr } from './graph-builder';
import type { WeightSource } from './weights';

export interface LayerContext {
  readonly graph: GraphBuilder;
  readonly weights: WeightSource;
}

/** The weight source's tensor `name`, checked against the shape the layer needs. */
function checkedWeight(ctx: LayerContext, name: string, shape: readonly number[]): Float32Array {
  const data = ctx.weights(name, shape);
  const expected = shape.reduce((n, d) => n * d, 1);
  if (data.length !== expected) {
    throw new Error(
      `Weight ${name}: the weight source gave ${data.length} values but shape [${shape.join(', ')}] needs ${expected}; ` +
        'check that the checkpoint matches the model config.',
    );
  }
  return data;
}

/**
 * Adds parameter `name` of PyTorch shape `shape`. `storedDims` lays the same values out differently
 * (e.g. a norm scale [C] stored as [C, 1, 1] so it broadcasts over NCHW).
 */
export function parameter(ctx: LayerContext, name: string, shape: readonly number[], storedDims = shape): string {
  return ctx.graph.initializer(name, 'float32', storedDims, checkedWeight(ctx, name, shape));
}

export interface Conv2dOptions {
  inChannels: number;
  outChannels: number;
  kernelSize: number;
  stride?: number;
  /** [top, left, bottom, right]; defaults to "same" padding for odd kernels. */
  pads?: readonly [number, number, number, number];
}

/** torch.nn.Conv2d with bias: `${name}.weight` [out, in, k, k], `${name}.bias` [out]. */
export function conv2d(ctx: LayerContext, name: string, x: string, options: Conv2dOptions): string {
  const { inChannels, outChannels, kernelSize, stride = 1 } = options;
  const half = (kernelSize - 1) / 2;
  const pads = options.pads ?? [half, half, half, half];
  const weight = parameter(ctx, `${name}.weight`, [outChannels, inChannels, kernelSize, kernelSize]);
  const bias = parameter(ctx, `${name}.bias`, [outChannels]);
  return ctx.graph.node('Conv', [x, weight, bias], {
    kernel_shape: attr.ints([kernelSize, kernelSize]),
    strides: attr.ints([stride, stride]),
    pads: attr.ints(pads),
  });
}

/**
 * torch.nn.Linear over the last axis of an input of any rank. The weight [out, in] is stored
 * transposed as [in, out] for MatMul, as torch.onnx does.
 */
export function linear(ctx: LayerContext, name: string, x: string, inFeatures: number, outFeatures: number, bias = true): string {
  const torchWeight = checkedWeight(ctx, `${name}.weight`, [outFeatures, inFeatures]);
  const transposed = new Float32Array(torchWeight.length);
  for (let o = 0; o < outFeatures; o++) {
    for (let i = 0; i < inFeatures; i++) transposed[i * outFeatures + o] = torchWeight[o * inFeatures + i];
  }
  const w = ctx.graph.initializer(`${name}.weight`, 'float32', [inFeatures, outFeatures], transposed);
  const product = ctx.graph.node('MatMul', [x, w]);
  if (!bias) return product;
  return ctx.graph.node('Add', [product, parameter(ctx, `${name}.bias`, [outFeatures])]);
}

/**
 * torch.nn.GroupNorm on NCHW, exported as torch does at opset 17 (GroupNormalization only arrives in
 * opset 18): reshape to [N, groups, -1], InstanceNormalization with unit scale, reshape back, then the
 * per-channel affine.
 */
export function groupNorm(ctx: LayerContext, name: string, x: string, channels: number, groups: number, epsilon: number): string {
  if (channels % groups !== 0) {
    throw new Error(`GroupNorm ${name}: ${channels} channels cannot be split into ${groups} groups; pick norm_num_groups dividing every block's channels.`);
  }
  const g = ctx.graph;
  const grouped = g.node('Reshape', [x, g.int64s('group_shape', [0, groups, -1])]);
  const normalized = g.node('InstanceNormalization', [grouped, g.floats('ones', [groups], new Float32Array(groups).fill(1)), g.floats('zeros', [groups], new Float32Array(groups))], {
    epsilon: attr.float(epsilon),
  });
  const restored = g.node('Reshape', [normalized, g.node('Shape', [x])]);
  const scaled = g.node('Mul', [restored, parameter(ctx, `${name}.weight`, [channels], [channels, 1, 1])]);
  return g.node('Add', [scaled, parameter(ctx, `${name}.bias`, [channels], [channels, 1, 1])]);
}

/** torch.nn.LayerNorm over the last axis. */
export function layerNorm(ctx: LayerContext, name: string, x: string, features: number, epsilon: number): string {
  const scale = parameter(ctx, `${name}.weight`, [features]);
  const bias = parameter(ctx, `${name}.bias`, [features]);
  return ctx.graph.node('LayerNormalization', [x, scale, bias], { axis: attr.int(-1), epsilon: attr.float(epsilon) });
}

export function silu(g: GraphBuilder, x: string): string {
  return g.node('Mul', [x, g.node('Sigmoid', [x])]);
}

/** Exact (erf) GELU; opset 17 has no Gelu operator. */
export function gelu(g: GraphBuilder, x: string): string {
  const erf = g.node('Erf', [g.node('Mul', [x, g.floats('inv_sqrt2', [], [Math.SQRT1_2])])]);
  const onePlus = g.node('Add', [erf, g.floats('one', [], [1])]);
  return g.node('Mul', [g.node('Mul', [x, onePlus]), g.floats('half', [], [0.5])]);
}

/** CLIP's quick_gelu: x * sigmoid(1.702 x). */
export function quickGelu(g: GraphBuilder, x: string): string {
  return g.node('Mul', [x, g.node('Sigmoid', [g.node('Mul', [x, g.floats('quick_gelu_alpha', [], [1.702])])])]);
}

export function add(g: GraphBuilder, a: string, b: string): string {
  return g.node('Add', [a, b]);
}

/** Concatenates NCHW feature maps along channels (the UNet's skip connections). */
export function concatChannels(g: GraphBuilder, parts: readonly string[]): string {
  return g.node('Concat', parts, { axis: attr.int(1) });
}

/** F.interpolate(scale_factor=2, mode="nearest"): floor of the asymmetric source coordinate. */
export function upsampleNearest2x(g: GraphBuilder, x: string): string {
  return g.node('Resize', [x, '', g.floats('upsample_scales', [4], [1, 1, 2, 2])], {
    mode: attr.string('nearest'),
    coordinate_transformation_mode: attr.string('asymmetric'),
    nearest_mode: attr.string('floor'),
  });
}

/** NCHW [B, C, H, W] -> tokens [B, H*W, C]. */
export function toTokens(g: GraphBuilder, x: string): string {
  const flat = g.node('Reshape', [x, g.int64s('flatten_hw', [0, 0, -1])]);
  return g.node('Transpose', [flat], { perm: attr.ints([0, 2, 1]) });
}

/** Tokens [B, H*W, C] -> NCHW with the shape of `like`. */
export function fromTokens(g: GraphBuilder, tokens: string, like: string): string {
  const channelsFirst = g.node('Transpose', [tokens], { perm: attr.ints([0, 2, 1]) });
  return g.node('Reshape', [channelsFirst, g.node('Shape', [like])]);
}

export interface SinusoidalEmbeddingOptions {
  dim: number;
  /** diffusers' flip_sin_to_cos: [cos, sin] instead of [sin, cos] (true for SD). */
  flipSinToCos: boolean;
  /** diffusers' downscale_freq_shift / freq_shift (0 for SD1.x). */
  freqShift: number;
  maxPeriod?: number;
}

/**
 * diffusers' get_timestep_embedding, computed in the graph from an integer timestep tensor of shape
 * [T] (T = 1 or batch): frequencies exp(-ln(max_period) * i / (half - shift)), i < half.
 * Returns [T, dim].
 */
export function sinusoidalTimestepEmbedding(g: GraphBuilder, timestep: string, options: SinusoidalEmbeddingOptions): string {
  const { dim, flipSinToCos, freqShift, maxPeriod = 10000 } = options;
  if (dim % 2 !== 0) throw new Error(`Timestep embedding dim must be even; got ${dim}.`);
  const half = dim / 2;
  const frequencies = Array.from({ length: half }, (_, i) => Math.exp((-Math.log(maxPeriod) * i) / (half - freqShift)));
  const t = g.node('Reshape', [g.node('Cast', [timestep], { to: attr.int(onnx.TensorProto.DataType.FLOAT) }), g.int64s('column', [-1, 1])]);
  const angles = g.node('Mul', [t, g.floats('timestep_frequencies', [1, half], frequencies)]);
  const sin = g.node('Sin', [angles]);
  const cos = g.node('Cos', [angles]);
  return g.node('Concat', flipSinToCos ? [cos, sin] : [sin, cos], { axis: attr.int(-1) });
}
