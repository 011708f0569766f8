import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError } from '../../../companion-server/engine/engine-error';
import type { StableDiffusionModel } from '../../../companion-server/engine/model/components';
import { LATENT_SAMPLE_WARNING, loadModel } from '../../../companion-server/engine/model/load-model';
import { SD1_DEFAULTS } from '../../../companion-server/engine/model/model-config';
import { tensor } from '../../../companion-server/engine/tensor';
import {
  FIXTURE_HIDDEN,
  FIXTURE_SAMPLE_SIZE,
  FIXTURE_SCALING_FACTOR,
  makeFixtureModel,
  removeFixture,
  type FixtureModelOptions,
} from '../../support/fixtures-sd-model';
import { FIXTURE_IDS } from '../../support/fixtures-clip-vocab';

const folders: string[] = [];
function fixture(options: FixtureModelOptions): string {
  const directory = makeFixtureModel(options);
  folders.push(directory);
  return directory;
}
afterAll(() => folders.forEach(removeFixture));

async function loadError(directory: string): Promise<EngineError> {
  const error = await loadModel(directory, { providers: ['cpu'] }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

/** Runs every component once and checks the fixture's hand-computable arithmetic (see fixtures-sd-model.ts). */
async function expectComponentsWork(model: StableDiffusionModel, scalingFactor: number, tolerance: number): Promise<void> {
  const ids = model.tokenizer.encode('a cat');
  const hidden = await model.textEncoder.encode([ids, ids]);
  expect(hidden.dims).toEqual([2, 77, FIXTURE_HIDDEN]);
  // Row k of the embedding is [k, k + 0.5, ...]: position 1 holds "a" (id 7).
  expect(hidden.data[FIXTURE_HIDDEN]).toBe(FIXTURE_IDS.a);
  const meanHidden = hidden.data.slice(0, 77 * FIXTURE_HIDDEN).reduce((s, v) => s + v, 0) / (77 * FIXTURE_HIDDEN);

  const sample = tensor(new Float32Array(2 * 4 * 4 * 4).fill(2), [2, 4, 4, 4]);
  const predicted = await model.unet.predict(sample, 500, hidden);
  expect(predicted.dims).toEqual([2, 4, 4, 4]);
  expect(predicted.data[0]).toBeCloseTo(0.5 * 2 + 0.001 * 500 + meanHidden, tolerance);

  const latents = tensor(Float32Array.from({ length: 4 * 16 }, (_, i) => i / 64), [1, 4, 4, 4]);
  const image = await model.vaeDecoder.decode(latents);
  expect(image.dims).toEqual([1, 3, 32, 32]);
  // The decoder sees latents / scaling_factor; pixel (0, 0) of channel 1 is latent channel 1's cell (0, 0).
  expect(image.data[32 * 32]).toBeCloseTo(latents.data[16] / scalingFactor, tolerance);

  const encoded = await model.vaeEncoder!.encode(image);
  expect(encoded.dims).toEqual([1, 4, 4, 4]);
  // Encoding averages 8x8 blocks and multiplies by scaling_factor: channels 0..2 come back, channel 3 repeats channel 0.
  expect(encoded.data[16]).toBeCloseTo(latents.data[16], tolerance);
  expect(encoded.data[48]).toBeCloseTo(latents.data[0], tolerance);
}

describe('loadModel: the layouts users have', () => {
  test('optimum export with a scalar int64 timestep and model.onnx_data external weights; release is idempotent', async () => {
    const directory = fixture({ layout: 'optimum', timestepShape: 'scalar' });
    expect(existsSync(join(directory, 'unet', 'model.onnx_data'))).toBe(true);
    const model = await loadModel(directory, { providers: ['cpu'] });
    expect(model).toMatchObject({ provider: 'cpu', directory, vaeScaleFactor: 8, latentChannels: 4, nativeSize: FIXTURE_SAMPLE_SIZE * 8 });
    expect(model.warnings).toEqual([]);
    expect(model.schedulerConfig.beta_schedule).toBe('scaled_linear');
    await expectComponentsWork(model, FIXTURE_SCALING_FACTOR, 5);
    expect(model.onnxRunStats().runs).toBe(4);
    await model.release();
    await model.release();
  });

  test('optimum export with a [batch] int64 timestep', async () => {
    const model = await loadModel(fixture({ layout: 'optimum', timestepShape: 'batch' }), { providers: ['cpu'] });
    await expectComponentsWork(model, FIXTURE_SCALING_FACTOR, 5);
    await model.release();
  });

  test("diffusers' old script: weights.pb, float [batch] timestep, latent_sample, no component configs", async () => {
    const directory = fixture({ layout: 'diffusers-script', timestepType: 'float32' });
    expect(existsSync(join(directory, 'unet', 'weights.pb'))).toBe(true);
    const model = await loadModel(directory, { providers: ['cpu'] });
    // Without configs the SD1.x values apply, and the model says so.
    expect(model.nativeSize).toBe(SD1_DEFAULTS.unetSampleSize * SD1_DEFAULTS.vaeScaleFactor);
    // SD 1.x's three UNet downsamplings on top of the VAE's 8: sides in multiples of 64.
    expect(model.sizeMultiple).toBe(64);
    expect(model.warnings.join('\n')).toMatch(/UNet downsampling/);
    expect(model.warnings).toContain(LATENT_SAMPLE_WARNING);
    expect(model.warnings.join('\n')).toMatch(/unet[/\\]config.json is absent; assuming Stable Diffusion 1.x's sample_size 64, in_channels 4/);
    expect(model.warnings.join('\n')).toContain(`scaling_factor ${SD1_DEFAULTS.vaeScalingFactor}`);
    await expectComponentsWork(model, SD1_DEFAULTS.vaeScalingFactor, 4);
    await model.release();
  });

  test('Olive fp16: float16 inputs and outputs, float16 [1] timestep, int32 input_ids', async () => {
    const model = await loadModel(fixture({ layout: 'olive-fp16' }), { providers: ['cpu'] });
    // fp16 keeps about three decimal digits.
    await expectComponentsWork(model, FIXTURE_SCALING_FACTOR, 1);
    await model.release();
  });

  test('a scheduler config with a misspelt key or a value one scheduler cannot run loads, with a warning for each', async () => {
    const directory = fixture({ layout: 'optimum' });
    const path = join(directory, 'scheduler', 'scheduler_config.json');
    writeFileSync(path, JSON.stringify({ ...SD1_DEFAULTS.scheduler, beta_shedule: 'linear', algorithm_type: 'sde-dpmsolver++' }));
    const model = await loadModel(directory, { providers: ['cpu'] });
    expect(model.warnings).toEqual([
      expect.stringMatching(/^.*scheduler_config\.json: Scheduler config key "beta_shedule" is not a setting of any diffusers scheduler we know.*Check its spelling/),
      expect.stringMatching(/^.*scheduler_config\.json: jobs with the dpm\+\+2m scheduler will be refused: Scheduler config "algorithm_type" is "sde-dpmsolver\+\+", which is not supported; use one of "dpmsolver\+\+"/),
    ]);
    await model.release();
  });

  test('provider fallback: asking for cuda first ends on cpu with the reason recorded', async () => {
    const model = await loadModel(fixture({ layout: 'optimum' }), { providers: ['cuda', 'cpu'] });
    expect(model.provider).toBe('cpu');
    expect(model.providerAttempts).toEqual([expect.objectContaining({ provider: 'cuda', reason: expect.stringContaining('onnxruntime-node-install=cuda12') })]);
    await model.release();
  });
});

describe('loadModel: broken folders', () => {
  test('a folder that does not exist', async () => {
    const error = await loadError('/nonexistent/models/x');
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.message).toContain('/nonexistent/models/x does not exist');
  });

  test('every missing file is named at once, with the fix', async () => {
    const directory = fixture({ layout: 'optimum', omit: ['unet/model.onnx', 'tokenizer/merges.txt'] });
    const error = await loadError(directory);
    expect(error.message).toContain(`${join(directory, 'unet', 'model.onnx')} is missing (the UNet)`);
    expect(error.message).toContain('optimum-cli export onnx');
    expect(error.message).toContain(`${join(directory, 'tokenizer')} needs vocab.json and merges.txt`);
  });

  test('config and tokenizer problems are reported together before any session is created', async () => {
    const directory = fixture({ layout: 'optimum', padToken: '<pad>' });
    writeFileSync(join(directory, 'unet', 'config.json'), '{ not json');
    const error = await loadError(directory);
    expect(error.message).toContain(`${join(directory, 'unet', 'config.json')} is not valid JSON`);
    expect(error.message).toContain('pad token "<pad>"');
  });

  test('a tokenizer file that is not JSON is named, with the fix', async () => {
    const directory = fixture({ layout: 'optimum' });
    const vocab = join(directory, 'tokenizer', 'vocab.json');
    writeFileSync(vocab, '{ "a</w>": 1,');
    const error = await loadError(directory);
    expect(error.message).toContain(`${vocab} is not valid JSON`);
    expect(error.message).toContain('Restore it from the original export.');
  });

  test('missing external weights are reported against the model file', async () => {
    const directory = fixture({ layout: 'optimum', omit: ['unet/model.onnx_data'] });
    const error = await loadError(directory);
    expect(error.message).toContain(join(directory, 'unet', 'model.onnx'));
    expect(error.message).toContain('keep the external weights');
  });

  test('a wrong dtype names the file, the input, what it is and what is expected', async () => {
    const directory = fixture({ layout: 'optimum', inputTypeOverride: { component: 'text_encoder', input: 'input_ids', type: 'float32' } });
    const error = await loadError(directory);
    expect(error.message).toContain(`${join(directory, 'text_encoder', 'model.onnx')}: input 'input_ids' is float32 [batch, 77]; expected 'input_ids' (int64|int32, rank 2)`);
  });

  test('a wrong rank names the file, the input, what it is and what is expected', async () => {
    const directory = fixture({ layout: 'optimum', timestepShape: 'column' });
    const error = await loadError(directory);
    expect(error.message).toContain(
      `${join(directory, 'unet', 'model.onnx')}: input 'timestep' is int64 [batch, 1]; expected 'timestep' (int64|int32|float32|float16|float64, rank 0 or 1)`,
    );
  });

  test('a text encoder of another length than the tokenizer pads to', async () => {
    const directory = fixture({ layout: 'optimum', textEncoderLength: 64 });
    const error = await loadError(directory);
    expect(error.message).toContain(`${join(directory, 'text_encoder', 'model.onnx')} takes 64 tokens but the tokenizer pads to 77`);
  });

  test('an SDXL pipeline is refused by name', async () => {
    const directory = fixture({ layout: 'optimum' });
    writeFileSync(join(directory, 'model_index.json'), JSON.stringify({ _class_name: 'ORTStableDiffusionXLPipeline' }));
    const error = await loadError(directory);
    expect(error.message).toContain('only Stable Diffusion 1.x/2.x models are supported');
  });
});
