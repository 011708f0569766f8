/**
 * loadModel: a Stable Diffusion ONNX folder (optimum export, diffusers' old conversion script, or
 * Olive fp16) to a StableDiffusionModel. Problems that are cheap to find (missing files, configs)
 * are all reported together before any session is created; graph I/O problems are all reported
 * together once the sessions exist.
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { EngineError } from '../engine-error';
import { DEFAULT_EXECUTION_PROVIDERS, ModelSession, type OrtSessionOptions, type RunStats } from '../ort';
import { createScheduler } from '../schedulers';
import { SCHEDULER_KINDS, type SchedulerConfig } from '../schedulers/scheduler';
import { ClipTokenizer } from './clip-tokenizer';
import type { StableDiffusionModel } from './components';
import { readModelConfig } from './model-config';
import { EXPORT_HINT, missingFiles, modelFiles } from './model-folder';
import {
  COMPONENT_IO,
  OnnxTextEncoder,
  OnnxUnet,
  OnnxVaeDecoder,
  OnnxVaeEncoder,
  checkComponentIo,
  outputValue,
  type ComponentIo,
  type VaeEncoderOutput,
} from './onnx-components';

export type LoadModelOptions = OrtSessionOptions;

export const LATENT_SAMPLE_WARNING =
  'vae_encoder outputs latent_sample (diffusers\' old conversion script): it samples the latent distribution inside the graph, so encoding the same image twice gives slightly different latents. Re-export with optimum for the deterministic mean.';

function invalidModel(directory: string, problems: readonly string[]): EngineError {
  return new EngineError('MODEL_INVALID', `The model folder ${directory} cannot be used:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

/**
 * The folder's scheduler config read by every scheduler kind now rather than at the first job: a key no
 * diffusers scheduler knows (a typo) and a value one kind cannot run each become a warning naming the file.
 */
function schedulerWarnings(config: SchedulerConfig, path: string): string[] {
  const warnings: string[] = [];
  SCHEDULER_KINDS.forEach((kind, k) => {
    try {
      // Unknown keys are unknown to every kind: report them once.
      createScheduler(kind, config, { warn: k === 0 ? (message) => warnings.push(`${path}: ${message}`) : undefined });
    } catch (error) {
      warnings.push(`${path}: jobs with the ${kind} scheduler will be refused: ${(error as Error).message}`);
    }
  });
  return warnings;
}

export async function loadModel(directory: string, options: LoadModelOptions = {}): Promise<StableDiffusionModel> {
  const files = modelFiles(directory);
  const missing = missingFiles(files);
  const config = await readModelConfig(files);
  const cheapProblems = [...missing, ...config.problems];
  const tokenizer =
    missing.length > 0
      ? undefined
      : await ClipTokenizer.fromFolder(files.tokenizerDir).catch((error: Error) => void cheapProblems.push(error.message));
  if (!tokenizer || cheapProblems.length > 0) throw invalidModel(directory, cheapProblems);

  const sessions: ModelSession[] = [];
  let providers = options.providers ?? DEFAULT_EXECUTION_PROVIDERS;
  // The first session finds a working provider; the others start from it instead of retrying the failures.
  const open = async (path: string): Promise<ModelSession> => {
    const session = await ModelSession.open(path, { ...options, providers });
    sessions.push(session);
    providers = [session.provider, ...providers.slice(providers.indexOf(session.provider) + 1)];
    return session;
  };
  const releaseAll = () => Promise.all(sessions.map((s) => s.release()));
  try {
    const unet = await open(files.unet);
    const textEncoder = await open(files.textEncoder);
    const vaeDecoder = await open(files.vaeDecoder);
    const vaeEncoder = existsSync(files.vaeEncoder) ? await open(files.vaeEncoder) : undefined;

    const checks: [ModelSession | undefined, ComponentIo][] = [
      [textEncoder, COMPONENT_IO.textEncoder],
      [unet, COMPONENT_IO.unet],
      [vaeDecoder, COMPONENT_IO.vaeDecoder],
      [vaeEncoder, COMPONENT_IO.vaeEncoder],
    ];
    const problems = checks.flatMap(([session, io]) => (session ? checkComponentIo(session, io) : []));
    const textLength = textEncoder.input('input_ids')?.shape[1];
    if (typeof textLength === 'number' && textLength !== tokenizer.maxLength) {
      problems.push(`${files.textEncoder} takes ${textLength} tokens but the tokenizer pads to ${tokenizer.maxLength}; the tokenizer/ folder belongs to another model.`);
    }
    if (problems.length > 0) throw invalidModel(directory, [...problems, `Fix: ${EXPORT_HINT}`]);

    const warnings = [...config.warnings, ...schedulerWarnings(config.schedulerConfig, files.schedulerConfig)];
    const encoderOutput = vaeEncoder && (outputValue(vaeEncoder, COMPONENT_IO.vaeEncoder)?.name as VaeEncoderOutput);
    if (encoderOutput === 'latent_sample') warnings.push(LATENT_SAMPLE_WARNING);
    if (!vaeEncoder) warnings.push(`${files.vaeEncoder} is absent: images not generated by this model cannot be brushed.`);

    return {
      id: basename(resolve(directory)),
      directory,
      provider: unet.provider,
      providerAttempts: unet.providerAttempts,
      warnings,
      nativeSize: config.unetSampleSize * config.vaeScaleFactor,
      vaeScaleFactor: config.vaeScaleFactor,
      sizeMultiple: config.vaeScaleFactor * config.unetDownsampling,
      latentChannels: config.latentChannels,
      schedulerConfig: config.schedulerConfig,
      tokenizer,
      textEncoder: new OnnxTextEncoder(textEncoder),
      unet: new OnnxUnet(unet, config.unetInChannels),
      vaeEncoder: vaeEncoder && encoderOutput ? new OnnxVaeEncoder(vaeEncoder, encoderOutput, config.latentChannels, config.vaeScalingFactor) : undefined,
      vaeDecoder: new OnnxVaeDecoder(vaeDecoder, config.vaeScalingFactor),
      onnxRunStats: (): RunStats =>
        sessions.reduce((sum, s) => ({ runs: sum.runs + s.stats.runs, milliseconds: sum.milliseconds + s.stats.milliseconds }), { runs: 0, milliseconds: 0 }),
      release: async () => {
        await releaseAll();
      },
    };
  } catch (error) {
    await releaseAll();
    throw error;
  }
}
