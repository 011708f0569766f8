import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DEFAULT_SEED, buildTinySd, writeTinySd } from '../../../models/scripts/tiny-sd';

const COMMITTED = join(__dirname, '..', '..', '..', 'models', 'tiny-sd');
const MAX_COMMITTED_BYTES = 20 * 2 ** 20;
/** Files other modules cache in a model folder at run time (the preview's latent_rgb.json); not generated, not committed. */
const RUNTIME_CACHES = new Set(['latent_rgb.json']);

function listFiles(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((path) => statSync(join(directory, path)).isFile() && !RUNTIME_CACHES.has(path))
    .map((path) => relative(directory, join(directory, path)).split('\\').join('/'))
    .sort();
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(COMMITTED, path), 'utf8')) as Record<string, unknown>;
}

describe('the committed models/tiny-sd', () => {
  test('is regenerated bit for bit by the script with the default seed (run `npm run models:tiny` after changing the builders)', () => {
    const out = mkdtempSync(join(tmpdir(), 'tiny-sd-'));
    try {
      writeTinySd(out, DEFAULT_SEED);
      expect(listFiles(COMMITTED)).toEqual(listFiles(out));
      for (const path of listFiles(out)) {
        const same = readFileSync(join(out, path)).equals(readFileSync(join(COMMITTED, path)));
        if (!same) throw new Error(`models/tiny-sd/${path} differs from what the script generates; run \`npm run models:tiny\` and commit the result.`);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('has the file layout of an optimum ONNX export of SD 1.5 and stays small', () => {
    expect(listFiles(COMMITTED)).toEqual([
      'model_index.json',
      'scheduler/scheduler_config.json',
      'text_encoder/config.json',
      'text_encoder/model.onnx',
      'tokenizer/merges.txt',
      'tokenizer/special_tokens_map.json',
      'tokenizer/tokenizer_config.json',
      'tokenizer/vocab.json',
      'unet/config.json',
      'unet/model.onnx',
      'unet/model.onnx_data',
      'vae_decoder/config.json',
      'vae_decoder/model.onnx',
      'vae_encoder/config.json',
      'vae_encoder/model.onnx',
    ]);
    const total = listFiles(COMMITTED).reduce((n, path) => n + statSync(join(COMMITTED, path)).size, 0);
    expect(total).toBeLessThan(MAX_COMMITTED_BYTES);
  });

  test("ships SD 1.5's scheduler config", () => {
    expect(readJson('scheduler/scheduler_config.json')).toMatchObject({
      _class_name: 'PNDMScheduler',
      beta_start: 0.00085,
      beta_end: 0.012,
      beta_schedule: 'scaled_linear',
      num_train_timesteps: 1000,
      steps_offset: 1,
      set_alpha_to_one: false,
      skip_prk_steps: true,
      clip_sample: false,
      prediction_type: 'epsilon',
    });
  });

  test('names an ONNX pipeline and a CLIP tokenizer in model_index.json', () => {
    expect(readJson('model_index.json')).toMatchObject({
      _class_name: 'OnnxStableDiffusionPipeline',
      tokenizer: ['transformers', 'CLIPTokenizer'],
      unet: ['diffusers', 'OnnxRuntimeModel'],
      vae_encoder: ['diffusers', 'OnnxRuntimeModel'],
      vae_decoder: ['diffusers', 'OnnxRuntimeModel'],
      text_encoder: ['diffusers', 'OnnxRuntimeModel'],
      scheduler: ['diffusers', 'PNDMScheduler'],
    });
  });

  test('has a CLIP tokenizer padding with <|endoftext|>, the last id, at 77 tokens', () => {
    const vocab = readJson('tokenizer/vocab.json') as Record<string, number>;
    const size = Object.keys(vocab).length;
    expect(vocab['<|startoftext|>']).toBe(size - 2);
    expect(vocab['<|endoftext|>']).toBe(size - 1);
    expect(readJson('tokenizer/tokenizer_config.json')).toMatchObject({ model_max_length: 77, pad_token: '<|endoftext|>', tokenizer_class: 'CLIPTokenizer' });
    expect(readJson('tokenizer/special_tokens_map.json')).toMatchObject({ pad_token: '<|endoftext|>' });
    expect(readJson('text_encoder/config.json')).toMatchObject({ vocab_size: size, eos_token_id: size - 1, hidden_size: 32, max_position_embeddings: 77 });
    expect(readFileSync(join(COMMITTED, 'tokenizer/merges.txt'), 'utf8').trimEnd().split('\n')).toHaveLength(size - 512 - 2 + 1);
  });

  test('configs tie the components together like SD 1.5: text width = cross-attention width, 8x VAE, 4 latent channels', () => {
    const unet = readJson('unet/config.json');
    const vae = readJson('vae_decoder/config.json');
    expect(unet).toMatchObject({ _class_name: 'UNet2DConditionModel', in_channels: 4, out_channels: 4, cross_attention_dim: 32, sample_size: 32 });
    expect(vae).toMatchObject({ _class_name: 'AutoencoderKL', latent_channels: 4, scaling_factor: 0.18215, block_out_channels: [16, 32, 32, 32] });
    expect(readJson('vae_encoder/config.json')).toEqual(vae);
  });
});

describe('buildTinySd', () => {
  test('gives different weights for another seed but the same tokenizer and configs', () => {
    const a = buildTinySd(1);
    const b = buildTinySd(2);
    const bytes = (model: typeof a, path: string) => Buffer.from(model.files.find((f) => f.path === path)?.bytes ?? []);
    expect(bytes(a, 'unet/model.onnx_data').equals(bytes(b, 'unet/model.onnx_data'))).toBe(false);
    expect(bytes(a, 'tokenizer/vocab.json').equals(bytes(b, 'tokenizer/vocab.json'))).toBe(true);
    expect(bytes(a, 'unet/config.json').equals(bytes(b, 'unet/config.json'))).toBe(true);
  });
});
