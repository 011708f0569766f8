/**
 * transformers' CLIPTextModel as an ONNX graph, configured by text_encoder/config.json keys and named
 * like its state dict ("text_model.encoder.layers.0.self_attn.q_proj.weight"); see
 * src/transformers/models/clip/modeling_clip.py. Inputs and outputs are those of an optimum export.
 */
import { onnx } from 'onnx-proto';
import { clipAttention } from './attention';
import { attr, GraphBuilder } from './graph-builder';
import { add, gelu, layerNorm, linear, parameter, quickGelu, type LayerContext } from './layers';
import type { WeightSource } from './weights';

export interface CLIPTextConfig {
  vocab_size: number;
  hidden_size: number;
  intermediate_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  max_position_embeddings: number;
  hidden_act: string;
  layer_norm_eps: number;
}

export const TEXT_ENCODER_IO = { input: 'input_ids', lastHiddenState: 'last_hidden_state', pooler: 'pooler_output' } as const;

const ACTIVATIONS = ['quick_gelu', 'gelu'];
/** Added to masked attention scores; large enough that softmax gives them exactly zero weight. */
const MASKED_SCORE = -1e9;

export function checkClipTextConfig(config: CLIPTextConfig): void {
  const problems: string[] = [];
  if (!ACTIVATIONS.includes(config.hidden_act)) problems.push(`hidden_act "${config.hidden_act}" is not one of ${ACTIVATIONS.join(', ')}`);
  if (config.hidden_size % config.num_attention_heads !== 0) {
    problems.push(`hidden_size ${config.hidden_size} is not divisible by num_attention_heads ${config.num_attention_heads}`);
  }
  if (problems.length > 0) throw new Error(`Unsupported CLIPTextModel config: ${problems.join('; ')}. Fix text_encoder/config.json or extend onnx-graph/clip-text.ts.`);
}

export function buildClipTextEncoder(config: CLIPTextConfig, weights: WeightSource): GraphBuilder {
  checkClipTextConfig(config);
  const graph = new GraphBuilder('text_encoder');
  const ctx: LayerContext = { graph, weights };
  const hidden = config.hidden_size;
  const maxLength = config.max_position_embeddings;
  const inputIds = graph.input(TEXT_ENCODER_IO.input, 'int64', ['batch_size', 'sequence_length']);

  // Embeddings: token rows plus the first sequence_length position rows.
  const sequenceLength = graph.node('Shape', [inputIds], { start: attr.int(1), end: attr.int(2) });
  const tokens = graph.node('Gather', [parameter(ctx, 'text_model.embeddings.token_embedding.weight', [config.vocab_size, hidden]), inputIds], { axis: attr.int(0) });
  const positions = graph.node('Slice', [
    parameter(ctx, 'text_model.embeddings.position_embedding.weight', [maxLength, hidden]),
    graph.int64s('zero', [0]),
    sequenceLength,
    graph.int64s('rows', [0]),
  ]);
  let h = add(graph, tokens, positions);

  // Causal mask: token i attends to tokens 0..i only.
  const fullMask = new Float32Array(maxLength * maxLength);
  for (let i = 0; i < maxLength; i++) fullMask.fill(MASKED_SCORE, i * maxLength + i + 1, (i + 1) * maxLength);
  const mask = graph.node('Slice', [
    graph.floats('causal_mask', [maxLength, maxLength], fullMask),
    graph.int64s('zeros', [0, 0]),
    graph.node('Concat', [sequenceLength, sequenceLength], { axis: attr.int(0) }),
    graph.int64s('both_axes', [0, 1]),
  ]);

  const activation = config.hidden_act === 'gelu' ? gelu : quickGelu;
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const layer = `text_model.encoder.layers.${i}`;
    const normalized = layerNorm(ctx, `${layer}.layer_norm1`, h, hidden, config.layer_norm_eps);
    h = add(graph, h, clipAttention(ctx, `${layer}.self_attn`, normalized, hidden, config.num_attention_heads, mask));
    const mlpIn = layerNorm(ctx, `${layer}.layer_norm2`, h, hidden, config.layer_norm_eps);
    const expanded = activation(graph, linear(ctx, `${layer}.mlp.fc1`, mlpIn, hidden, config.intermediate_size));
    h = add(graph, h, linear(ctx, `${layer}.mlp.fc2`, expanded, config.intermediate_size, hidden));
  }
  const lastHiddenState = layerNorm(ctx, 'text_model.final_layer_norm', h, hidden, config.layer_norm_eps);
  graph.output(TEXT_ENCODER_IO.lastHiddenState, lastHiddenState, 'float32', ['batch_size', 'sequence_length', hidden]);
  graph.output(TEXT_ENCODER_IO.pooler, eosHiddenState(graph, lastHiddenState, inputIds, hidden), 'float32', ['batch_size', hidden]);
  return graph;
}

/**
 * CLIP's pooler_output: the hidden state at the end-of-text token, found as argmax(input_ids) because
 * <|endoftext|> has the largest id (ArgMax runs on int32: ORT's CPU kernel has no int64 version).
 */
function eosHiddenState(g: GraphBuilder, hiddenStates: string, inputIds: string, hidden: number): string {
  const ids32 = g.node('Cast', [inputIds], { to: attr.int(onnx.TensorProto.DataType.INT32) });
  const eosIndex = g.node('ArgMax', [ids32], { axis: attr.int(-1), keepdims: attr.int(1) });
  const gatherIndex = g.node('Expand', [g.node('Unsqueeze', [eosIndex, g.int64s('feature_axis', [2])]), g.int64s('feature_shape', [1, 1, hidden])]);
  const gathered = g.node('GatherElements', [hiddenStates, gatherIndex], { axis: attr.int(1) });
  return g.node('Squeeze', [gathered, g.int64s('position_axis', [1])]);
}
