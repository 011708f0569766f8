import { scaledDotProductAttention } from '../../../companion-server/engine/onnx-graph/attention';
import { GraphBuilder } from '../../../companion-server/engine/onnx-graph/graph-builder';
import {
  conv2d,
  fromTokens,
  gelu,
  groupNorm,
  layerNorm,
  linear,
  quickGelu,
  silu,
  sinusoidalTimestepEmbedding,
  toTokens,
  upsampleNearest2x,
} from '../../../companion-server/engine/onnx-graph/layers';
import { downsample } from '../../../companion-server/engine/onnx-graph/resnet';
import { maxAbsDiff, randomValues, randomWeights, runGraph } from './run-graph';

const TOLERANCE = 1e-4;

/** One-input, one-output graph around `body`. */
function graphOf(dims: number[], body: (g: GraphBuilder, x: string) => string, outputRank = dims.length): GraphBuilder {
  const g = new GraphBuilder('test');
  const x = g.input('x', 'float32', dims.map((_, i) => `d${i}`));
  g.output('y', body(g, x), 'float32', Array.from({ length: outputRank }, (_, i) => `o${i}`));
  return g;
}

async function run(g: GraphBuilder, x: Float32Array, dims: number[]) {
  return (await runGraph(g, { x: { data: x, dims } })).y;
}

describe('layers match their PyTorch definitions', () => {
  const weights = randomWeights(7);

  test('linear multiplies by the [out, in] weight over the last axis and adds the bias', async () => {
    const [inF, outF] = [5, 3];
    const x = randomValues(2 * 4 * inF, 1);
    const y = await run(graphOf([2, 4, inF], (graph, v) => linear({ graph, weights }, 'fc', v, inF, outF)), x, [2, 4, inF]);
    const w = weights('fc.weight', [outF, inF]);
    const b = weights('fc.bias', [outF]);
    const expected = new Float32Array(2 * 4 * outF);
    for (let r = 0; r < 8; r++) {
      for (let o = 0; o < outF; o++) {
        let sum = b[o];
        for (let i = 0; i < inF; i++) sum += x[r * inF + i] * w[o * inF + i];
        expected[r * outF + o] = sum;
      }
    }
    expect(y.dims).toEqual([2, 4, outF]);
    expect(maxAbsDiff(y.data, expected)).toBeLessThan(TOLERANCE);
  });

  test('conv2d with stride 1 and same padding matches a direct convolution', async () => {
    const [c, o, h, w] = [2, 3, 5, 4];
    const x = randomValues(c * h * w, 2);
    const y = await run(graphOf([1, c, h, w], (graph, v) => conv2d({ graph, weights }, 'conv', v, { inChannels: c, outChannels: o, kernelSize: 3 })), x, [1, c, h, w]);
    const expected = directConv(x, [c, h, w], weights('conv.weight', [o, c, 3, 3]), weights('conv.bias', [o]), o, 1, [1, 1, 1, 1]);
    expect(y.dims).toEqual([1, o, h, w]);
    expect(maxAbsDiff(y.data, expected)).toBeLessThan(TOLERANCE);
  });

  test("the VAE encoder's downsample pads only bottom and right, halving even sizes", async () => {
    const [c, h, w] = [2, 6, 8];
    const x = randomValues(c * h * w, 3);
    const y = await run(graphOf([1, c, h, w], (graph, v) => downsample({ graph, weights }, 'down', v, c, 'bottom-right')), x, [1, c, h, w]);
    const expected = directConv(x, [c, h, w], weights('down.conv.weight', [c, c, 3, 3]), weights('down.conv.bias', [c]), c, 2, [0, 0, 1, 1]);
    expect(y.dims).toEqual([1, c, h / 2, w / 2]);
    expect(maxAbsDiff(y.data, expected)).toBeLessThan(TOLERANCE);
  });

  test('groupNorm normalizes each group of channels over space, then applies the per-channel affine', async () => {
    const [n, c, h, w, groups] = [2, 6, 3, 2, 3];
    const x = randomValues(n * c * h * w, 4).map((v, i) => v * 3 + (i % 7));
    const y = await run(graphOf([n, c, h, w], (graph, v) => groupNorm({ graph, weights }, 'gn', v, c, groups, 1e-5)), x, [n, c, h, w]);
    const gamma = weights('gn.weight', [c]);
    const beta = weights('gn.bias', [c]);
    const expected = new Float32Array(x.length);
    const groupSize = (c / groups) * h * w;
    for (let start = 0; start < x.length; start += groupSize) {
      const values = x.subarray(start, start + groupSize);
      const mean = values.reduce((s, v) => s + v, 0) / groupSize;
      const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / groupSize;
      for (let i = 0; i < groupSize; i++) {
        const channel = Math.floor((start + i) / (h * w)) % c;
        expected[start + i] = ((values[i] - mean) / Math.sqrt(variance + 1e-5)) * gamma[channel] + beta[channel];
      }
    }
    expect(maxAbsDiff(y.data, expected)).toBeLessThan(TOLERANCE);
  });

  test('layerNorm normalizes the last axis', async () => {
    const x = randomValues(3 * 8, 5).map((v) => v * 2 + 1);
    const y = await run(graphOf([3, 8], (graph, v) => layerNorm({ graph, weights }, 'ln', v, 8, 1e-5)), x, [3, 8]);
    const gamma = weights('ln.weight', [8]);
    const beta = weights('ln.bias', [8]);
    const expected = new Float32Array(x.length);
    for (let r = 0; r < 3; r++) {
      const row = x.subarray(r * 8, r * 8 + 8);
      const mean = row.reduce((s, v) => s + v, 0) / 8;
      const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / 8;
      row.forEach((v, i) => (expected[r * 8 + i] = ((v - mean) / Math.sqrt(variance + 1e-5)) * gamma[i] + beta[i]));
    }
    expect(maxAbsDiff(y.data, expected)).toBeLessThan(TOLERANCE);
  });

  test('activations: SiLU, exact GELU and quick GELU at known points', async () => {
    const x = Float32Array.from([-2, -1, 0, 1, 2]);
    const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
    const siluY = await run(graphOf([5], (g, v) => silu(g, v)), x, [5]);
    const geluY = await run(graphOf([5], (g, v) => gelu(g, v)), x, [5]);
    const quickY = await run(graphOf([5], (g, v) => quickGelu(g, v)), x, [5]);
    expect(maxAbsDiff(siluY.data, [...x].map((v) => v * sigmoid(v)))).toBeLessThan(1e-6);
    // GELU reference values: x * Phi(x).
    expect(maxAbsDiff(geluY.data, [-0.0455003, -0.1586553, 0, 0.8413447, 1.9544997])).toBeLessThan(1e-6);
    expect(maxAbsDiff(quickY.data, [...x].map((v) => v * sigmoid(1.702 * v)))).toBeLessThan(1e-6);
  });

  test('nearest 2x upsampling repeats every pixel in a 2x2 block', async () => {
    const x = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const y = await run(graphOf([1, 1, 2, 3], (g, v) => upsampleNearest2x(g, v)), x, [1, 1, 2, 3]);
    expect(y.dims).toEqual([1, 1, 4, 6]);
    expect([...y.data]).toEqual([1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 4, 4, 5, 5, 6, 6]);
  });

  test('toTokens and fromTokens are inverse layouts ([B, C, H, W] <-> [B, H*W, C])', async () => {
    const x = randomValues(2 * 3 * 2 * 2, 6);
    const tokens = await run(graphOf([2, 3, 2, 2], (g, v) => toTokens(g, v), 3), x, [2, 3, 2, 2]);
    expect(tokens.dims).toEqual([2, 4, 3]);
    expect(tokens.data[1 * 12 + 2 * 3 + 1]).toBeCloseTo(x[1 * 12 + 1 * 4 + 2]);
    const back = await run(graphOf([2, 3, 2, 2], (g, v) => fromTokens(g, toTokens(g, v), v)), x, [2, 3, 2, 2]);
    expect([...back.data]).toEqual([...x]);
  });
});

describe('sinusoidal timestep embedding', () => {
  test("matches diffusers' get_timestep_embedding with flip_sin_to_cos and freq_shift 0", async () => {
    const g = new GraphBuilder('t');
    const t = g.input('t', 'int64', [2]);
    g.output('y', sinusoidalTimestepEmbedding(g, t, { dim: 8, flipSinToCos: true, freqShift: 0 }), 'float32', [2, 8]);
    const y = (await runGraph(g, { t: { data: BigInt64Array.from([0n, 981n]), dims: [2] } })).y;
    const expected = [0, 981].flatMap((step) => {
      const angles = [0, 1, 2, 3].map((i) => step * Math.exp((-Math.log(10000) * i) / 4));
      return [...angles.map(Math.cos), ...angles.map(Math.sin)];
    });
    expect(y.dims).toEqual([2, 8]);
    expect(maxAbsDiff(y.data, expected)).toBeLessThan(2e-4);
  });
});

describe('scaled dot-product attention', () => {
  test('splits heads, applies the additive mask and merges heads like a per-head softmax(q k^T / sqrt(d)) v', async () => {
    const [batch, length, heads, headDim] = [2, 3, 2, 4];
    const width = heads * headDim;
    const g = new GraphBuilder('attention');
    const [q, k, v] = ['q', 'k', 'v'].map((name) => g.input(name, 'float32', [batch, length, width]));
    const mask = g.input('mask', 'float32', [length, length]);
    g.output('y', scaledDotProductAttention(g, q, k, v, { heads, headDim }, mask), 'float32', [batch, length, width]);
    const [qv, kv, vv] = [1, 2, 3].map((seed) => randomValues(batch * length * width, seed));
    const maskValues = Float32Array.from([0, -1e9, -1e9, 0, 0, -1e9, 0, 0, 0]);
    const dims = [batch, length, width];
    const y = (await runGraph(g, { q: { data: qv, dims }, k: { data: kv, dims }, v: { data: vv, dims }, mask: { data: maskValues, dims: [length, length] } })).y;

    const expected = new Float32Array(batch * length * width);
    const at = (b: number, l: number, h: number, d: number) => (b * length + l) * width + h * headDim + d;
    for (let b = 0; b < batch; b++) {
      for (let h = 0; h < heads; h++) {
        for (let i = 0; i < length; i++) {
          const scores = Array.from({ length }, (_, j) => {
            let dot = 0;
            for (let d = 0; d < headDim; d++) dot += qv[at(b, i, h, d)] * kv[at(b, j, h, d)];
            return dot / Math.sqrt(headDim) + maskValues[i * length + j];
          });
          const top = Math.max(...scores);
          const exps = scores.map((s) => Math.exp(s - top));
          const total = exps.reduce((s, e) => s + e, 0);
          for (let d = 0; d < headDim; d++) expected[at(b, i, h, d)] = exps.reduce((s, e, j) => s + (e / total) * vv[at(b, j, h, d)], 0);
        }
      }
    }
    expect(maxAbsDiff(y.data, expected)).toBeLessThan(TOLERANCE);
  });
});

function directConv(
  x: Float32Array,
  [c, h, w]: number[],
  weight: Float32Array,
  bias: Float32Array,
  outChannels: number,
  stride: number,
  [top, left, bottom, right]: number[],
): Float32Array {
  const outH = Math.floor((h + top + bottom - 3) / stride) + 1;
  const outW = Math.floor((w + left + right - 3) / stride) + 1;
  const out = new Float32Array(outChannels * outH * outW);
  for (let o = 0; o < outChannels; o++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        let sum = bias[o];
        for (let i = 0; i < c; i++) {
          for (let ky = 0; ky < 3; ky++) {
            for (let kx = 0; kx < 3; kx++) {
              const y = oy * stride + ky - top;
              const xx = ox * stride + kx - left;
              if (y >= 0 && y < h && xx >= 0 && xx < w) sum += x[(i * h + y) * w + xx] * weight[((o * c + i) * 3 + ky) * 3 + kx];
            }
          }
        }
        out[(o * outH + oy) * outW + ox] = sum;
      }
    }
  }
  return out;
}
