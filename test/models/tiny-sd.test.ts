/**
 * The generated tiny model runs in onnxruntime-node with the inputs and outputs of an optimum SD 1.5
 * export, and behaves like one structurally (batch items independent, text causal, timestep and text
 * both steer the UNet), with finite O(1) outputs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { GaussianRandom } from '../../companion-server/engine/random';

const MODEL = join(__dirname, '..', '..', 'models', 'tiny-sd');
const sessions = new Map<string, ort.InferenceSession>();

async function session(component: string): Promise<ort.InferenceSession> {
  const existing = sessions.get(component);
  if (existing) return existing;
  const created = await ort.InferenceSession.create(join(MODEL, component, 'model.onnx'), { intraOpNumThreads: 1 });
  sessions.set(component, created);
  return created;
}

afterAll(async () => {
  for (const s of sessions.values()) await s.release();
});

function normal(dims: number[], seed: number): ort.Tensor {
  return new ort.Tensor('float32', new GaussianRandom(seed).fill(new Float32Array(dims.reduce((n, d) => n * d, 1))), dims);
}

function int64(values: number[], dims: number[]): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), dims);
}

function stats(data: Float32Array): { std: number; finite: boolean } {
  let sum = 0;
  let squares = 0;
  let finite = true;
  for (const v of data) {
    finite &&= Number.isFinite(v);
    sum += v;
    squares += v * v;
  }
  const mean = sum / data.length;
  return { std: Math.sqrt(squares / data.length - mean * mean), finite };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

function signature(s: ort.InferenceSession) {
  const describe = (m: readonly ort.InferenceSession.ValueMetadata[]) => m.map((v) => (v.isTensor ? [v.name, v.type, [...v.shape]] : [v.name]));
  return { inputs: describe(s.inputMetadata), outputs: describe(s.outputMetadata) };
}

// Token ids with BOS, a few words, then <|endoftext|> padding (the largest id), as CLIPTokenizer pads for SD 1.5.
const vocab = JSON.parse(readFileSync(join(MODEL, 'tokenizer', 'vocab.json'), 'utf8')) as Record<string, number>;
const BOS = vocab['<|startoftext|>'];
const EOS = vocab['<|endoftext|>'];
function prompt(words: number[], length = 77): number[] {
  return [BOS, ...words, ...Array(length - 1 - words.length).fill(EOS)];
}

describe('tiny-sd text_encoder', () => {
  test("has optimum's signature: input_ids int64 -> last_hidden_state, pooler_output", async () => {
    expect(signature(await session('text_encoder'))).toEqual({
      inputs: [['input_ids', 'int64', ['batch_size', 'sequence_length']]],
      outputs: [
        ['last_hidden_state', 'float32', ['batch_size', 'sequence_length', 32]],
        ['pooler_output', 'float32', ['batch_size', 32]],
      ],
    });
  });

  test('encodes a batch of 77-token prompts into layer-normalized states, pooled at the first <|endoftext|>', async () => {
    const ids = [...prompt([64, 600, 700]), ...prompt([65, 66, 67, 68, 69])];
    const out = await (await session('text_encoder')).run({ input_ids: int64(ids, [2, 77]) });
    const states = out.last_hidden_state.data as Float32Array;
    const pooled = out.pooler_output.data as Float32Array;
    expect(out.last_hidden_state.dims).toEqual([2, 77, 32]);
    expect(out.pooler_output.dims).toEqual([2, 32]);
    expect(stats(states)).toEqual({ std: expect.closeTo(1, 1), finite: true });
    const eosPositions = [4, 6];
    eosPositions.forEach((position, b) => {
      const row = states.subarray((b * 77 + position) * 32, (b * 77 + position + 1) * 32);
      expect(maxAbsDiff(pooled.subarray(b * 32, (b + 1) * 32), row)).toBe(0);
    });
  });

  test('is causal: a token never changes the states of the tokens before it', async () => {
    const encoder = await session('text_encoder');
    const a = (await encoder.run({ input_ids: int64(prompt([10, 20, 30, 40]), [1, 77]) })).last_hidden_state.data as Float32Array;
    const b = (await encoder.run({ input_ids: int64(prompt([10, 20, 31, 40]), [1, 77]) })).last_hidden_state.data as Float32Array;
    expect(maxAbsDiff(a.subarray(0, 3 * 32), b.subarray(0, 3 * 32))).toBeLessThan(1e-5);
    expect(maxAbsDiff(a.subarray(3 * 32, 4 * 32), b.subarray(3 * 32, 4 * 32))).toBeGreaterThan(0.1);
  });

  test('accepts sequences shorter than 77 tokens', async () => {
    const out = await (await session('text_encoder')).run({ input_ids: int64([BOS, 100, EOS], [1, 3]) });
    expect(out.last_hidden_state.dims).toEqual([1, 3, 32]);
  });
});

describe('tiny-sd unet', () => {
  const text = normal([2, 77, 32], 11);

  test("has optimum's signature: sample, timestep int64 [1], encoder_hidden_states -> out_sample", async () => {
    expect(signature(await session('unet'))).toEqual({
      inputs: [
        ['sample', 'float32', ['batch_size', 4, 'height', 'width']],
        ['timestep', 'int64', [1]],
        ['encoder_hidden_states', 'float32', ['batch_size', 'sequence_length', 32]],
      ],
      outputs: [['out_sample', 'float32', ['batch_size', 4, 'height', 'width']]],
    });
  });

  test.each([
    [2, 32, 32],
    [1, 24, 40],
  ])('predicts finite O(1) noise for batch %i at %ix%i latents', async (batch, height, width) => {
    const out = await (await session('unet')).run({
      sample: normal([batch, 4, height, width], 1),
      timestep: int64([981], [1]),
      encoder_hidden_states: new ort.Tensor('float32', (text.data as Float32Array).slice(0, batch * 77 * 32), [batch, 77, 32]),
    });
    expect(out.out_sample.dims).toEqual([batch, 4, height, width]);
    const { std, finite } = stats(out.out_sample.data as Float32Array);
    expect(finite).toBe(true);
    expect(std).toBeGreaterThan(0.3);
    expect(std).toBeLessThan(3);
  });

  test('treats batch items independently (the guidance batch must not mix)', async () => {
    const unet = await session('unet');
    const sample = normal([2, 4, 16, 16], 2);
    const timestep = int64([501], [1]);
    const both = (await unet.run({ sample, timestep, encoder_hidden_states: text })).out_sample.data as Float32Array;
    const half = 4 * 16 * 16;
    const second = (
      await unet.run({
        sample: new ort.Tensor('float32', (sample.data as Float32Array).slice(half), [1, 4, 16, 16]),
        timestep,
        encoder_hidden_states: new ort.Tensor('float32', (text.data as Float32Array).slice(77 * 32), [1, 77, 32]),
      })
    ).out_sample.data as Float32Array;
    expect(maxAbsDiff(both.subarray(half), second)).toBeLessThan(1e-4);
  });

  test('is steered by both the timestep and the text', async () => {
    const unet = await session('unet');
    const sample = normal([2, 4, 16, 16], 3);
    const run = async (t: number, states: ort.Tensor) => (await unet.run({ sample, timestep: int64([t], [1]), encoder_hidden_states: states })).out_sample.data as Float32Array;
    const base = await run(501, text);
    expect(maxAbsDiff(base, await run(901, text))).toBeGreaterThan(0.1);
    expect(maxAbsDiff(base, await run(501, normal([2, 77, 32], 12)))).toBeGreaterThan(0.1);
  });
});

describe('tiny-sd vae_encoder', () => {
  test("has optimum's signature: sample -> latent_parameters (mean and logvar, 8 channels)", async () => {
    expect(signature(await session('vae_encoder'))).toEqual({
      inputs: [['sample', 'float32', ['batch_size', 3, 'height', 'width']]],
      outputs: [['latent_parameters', 'float32', ['batch_size', 8, 'height_latent', 'width_latent']]],
    });
  });

  test.each([
    [1, 64, 64],
    [2, 96, 128],
  ])('encodes batch %i of %ix%i images to 1/8 size, with scaled means of about unit spread like SD', async (batch, height, width) => {
    const image = normal([batch, 3, height, width], 4);
    (image.data as Float32Array).forEach((v, i, a) => (a[i] = Math.tanh(v)));
    const out = await (await session('vae_encoder')).run({ sample: image });
    expect(out.latent_parameters.dims).toEqual([batch, 8, height / 8, width / 8]);
    const data = out.latent_parameters.data as Float32Array;
    const plane = (height / 8) * (width / 8);
    const means = Float32Array.from({ length: batch * 4 * plane }, (_, i) => data[Math.floor(i / (4 * plane)) * 8 * plane + (i % (4 * plane))] * 0.18215);
    const { std, finite } = stats(means);
    expect(finite).toBe(true);
    expect(std).toBeGreaterThan(0.4);
    expect(std).toBeLessThan(2);
  });
});

describe('tiny-sd vae_decoder', () => {
  test("has optimum's signature: latent_sample -> sample", async () => {
    expect(signature(await session('vae_decoder'))).toEqual({
      inputs: [['latent_sample', 'float32', ['batch_size', 4, 'height_latent', 'width_latent']]],
      outputs: [['sample', 'float32', ['batch_size', 3, 'height', 'width']]],
    });
  });

  test.each([
    [1, 8, 8],
    [2, 12, 16],
  ])('decodes batch %i of %ix%i latents to 8x images with finite O(1) values', async (batch, height, width) => {
    const latents = normal([batch, 4, height, width], 5);
    (latents.data as Float32Array).forEach((v, i, a) => (a[i] = v / 0.18215));
    const out = await (await session('vae_decoder')).run({ latent_sample: latents });
    expect(out.sample.dims).toEqual([batch, 3, height * 8, width * 8]);
    const { std, finite } = stats(out.sample.data as Float32Array);
    expect(finite).toBe(true);
    expect(std).toBeGreaterThan(0.2);
    expect(std).toBeLessThan(3);
  });
});
