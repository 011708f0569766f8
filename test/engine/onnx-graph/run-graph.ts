/** Test helper: runs a GraphBuilder's model in onnxruntime-node on float32 inputs. */
import * as ort from 'onnxruntime-node';
import type { GraphBuilder } from '../../../companion-server/engine/onnx-graph/graph-builder';
import type { WeightSource } from '../../../companion-server/engine/onnx-graph/weights';
import { GaussianRandom } from '../../../companion-server/engine/random';

export type Feeds = Record<string, { data: Float32Array | BigInt64Array; dims: readonly number[] }>;

export async function runGraph(graph: GraphBuilder, feeds: Feeds): Promise<Record<string, { data: Float32Array; dims: readonly number[] }>> {
  const session = await ort.InferenceSession.create(graph.serialize().model, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
  try {
    const inputs = Object.fromEntries(
      Object.entries(feeds).map(([name, { data, dims }]) => [name, new ort.Tensor(data instanceof BigInt64Array ? 'int64' : 'float32', data, dims)]),
    );
    const outputs = await session.run(inputs);
    return Object.fromEntries(Object.entries(outputs).map(([name, t]) => [name, { data: t.data as Float32Array, dims: t.dims }]));
  } finally {
    await session.release();
  }
}

/** Standard normal test values. */
export function randomValues(count: number, seed = 1): Float32Array {
  return new GaussianRandom(seed).fill(new Float32Array(count));
}

/** A weight source where every tensor, biases and norms included, is random (so tests see every parameter). */
export function randomWeights(seed = 1): WeightSource {
  return (name, shape) => {
    let hash = seed;
    for (let i = 0; i < name.length; i++) hash = (Math.imul(hash, 31) + name.charCodeAt(i)) >>> 0;
    return randomValues(shape.reduce((n, d) => n * d, 1), hash);
  };
}

/** Records every parameter a builder asks for, answering with zeros. */
export function recordingWeights(): { source: WeightSource; shapes: Map<string, readonly number[]> } {
  const shapes = new Map<string, readonly number[]>();
  return { shapes, source: (name, shape) => (shapes.set(name, [...shape]), new Float32Array(shape.reduce((n, d) => n * d, 1))) };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`Length mismatch: ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
