import { DEFAULT_GAIN, seededWeightSource } from '../../../companion-server/engine/onnx-graph/weights';

function std(values: Float32Array): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
}

describe('seededWeightSource', () => {
  test('gives the same tensor for the same seed and name, whatever was asked before', () => {
    const first = seededWeightSource(5)('conv_in.weight', [8, 4, 3, 3]);
    const other = seededWeightSource(5);
    other('conv_out.weight', [4, 8, 3, 3]);
    expect(other('conv_in.weight', [8, 4, 3, 3])).toEqual(first);
  });

  test('gives different tensors for different seeds and for different names', () => {
    const a = seededWeightSource(5)('conv_in.weight', [8, 4, 3, 3]);
    expect(seededWeightSource(6)('conv_in.weight', [8, 4, 3, 3])).not.toEqual(a);
    expect(seededWeightSource(5)('conv_out.weight', [8, 4, 3, 3])).not.toEqual(a);
  });

  test('starts norms as identities: rank-1 weights are ones and biases zeros', () => {
    const source = seededWeightSource(1);
    expect([...source('mid_block.resnets.0.norm1.weight', [4])]).toEqual([1, 1, 1, 1]);
    expect([...source('mid_block.resnets.0.norm1.bias', [4])]).toEqual([0, 0, 0, 0]);
    expect([...source('conv_in.bias', [3])]).toEqual([0, 0, 0]);
  });

  test('scales kernels by the gain over the square root of their fan-in', () => {
    const kernel = seededWeightSource(2)('down_blocks.0.resnets.0.conv1.weight', [64, 32, 3, 3]);
    expect(std(kernel)).toBeCloseTo(DEFAULT_GAIN / Math.sqrt(32 * 9), 2);
    const matrix = seededWeightSource(2)('time_embedding.linear_1.weight', [128, 32]);
    expect(std(matrix)).toBeCloseTo(DEFAULT_GAIN / Math.sqrt(32), 1);
  });

  test('draws embedding tables from a unit normal', () => {
    const table = seededWeightSource(3)('text_model.embeddings.token_embedding.weight', [500, 32]);
    expect(std(table)).toBeCloseTo(1, 1);
  });
});
