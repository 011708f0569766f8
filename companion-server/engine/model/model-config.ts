/**
 * The numbers a pipeline needs from a model folder, read from the folder's own JSON configs
 * (diffusers' names). Exports that lack a config (diffusers' old script writes none per component)
 * get SD1.x's values, and the model reports each such guess as a warning.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { SchedulerConfig } from '../schedulers/scheduler';
import { EXPORT_HINT, type ModelFiles } from './model-folder';

/** Stable Diffusion 1.x's values: the fallback when a folder does not say. */
export const SD1_DEFAULTS = {
  /** unet/config.json sample_size: latent side for 512 px images. */
  unetSampleSize: 64,
  unetInChannels: 4,
  /** vae config scaling_factor: latents are multiplied by it after encoding, divided before decoding. */
  vaeScalingFactor: 0.18215,
  /** 2^(len(block_out_channels) - 1): pixels per latent cell. */
  vaeScaleFactor: 8,
  /** 2^(len(unet block_out_channels) - 1): latent cells per cell of the UNet's coarsest level. */
  unetDownsampling: 8,
  latentChannels: 4,
  /** runwayml/stable-diffusion-v1-5's scheduler/scheduler_config.json. */
  scheduler: {
    num_train_timesteps: 1000,
    beta_start: 0.00085,
    beta_end: 0.012,
    beta_schedule: 'scaled_linear',
    set_alpha_to_one: false,
    steps_offset: 1,
    clip_sample: false,
    prediction_type: 'epsilon',
  } satisfies SchedulerConfig,
} as const;

export interface ModelConfig {
  schedulerConfig: SchedulerConfig;
  unetSampleSize: number;
  unetInChannels: number;
  vaeScalingFactor: number;
  vaeScaleFactor: number;
  unetDownsampling: number;
  latentChannels: number;
  /** model_index.json's _class_name, when present. */
  pipelineClass?: string;
  /** Values guessed because the folder did not give them. */
  warnings: string[];
  /** Reasons this folder cannot be used. */
  problems: string[];
}

type Json = Record<string, unknown>;

export async function readModelConfig(files: ModelFiles): Promise<ModelConfig> {
  const warnings: string[] = [];
  const problems: string[] = [];
  const read = async (path: string): Promise<Json | undefined> => {
    if (!existsSync(path)) return undefined;
    try {
      return JSON.parse(await readFile(path, 'utf8')) as Json;
    } catch (error) {
      problems.push(`${path} is not valid JSON (${(error as Error).message}). Restore it from the original export.`);
      return undefined;
    }
  };
  // One warning per file, listing every value taken from SD1.x.
  const guesses = new Map<string, string[]>();
  const guessed = (what: string, where: string, value: unknown) =>
    guesses.set(where, [...(guesses.get(where) ?? []), `${what} ${JSON.stringify(value)}`]);
  const numberFrom = (json: Json | undefined, key: string, where: string, fallback: number): number => {
    const value = json?.[key];
    if (typeof value === 'number') return value;
    guessed(key, where, fallback);
    return fallback;
  };

  /** 2^(levels - 1) from a config's block_out_channels: the spatial factor between its first and last level. */
  const levelsScale = (json: Json | undefined, what: string, where: string, fallback: number): number => {
    const blocks = json?.block_out_channels;
    if (Array.isArray(blocks) && blocks.length > 0) return 2 ** (blocks.length - 1);
    guessed(what, where, fallback);
    return fallback;
  };

  const index = await read(files.modelIndex);
  const pipelineClass = typeof index?._class_name === 'string' ? index._class_name : undefined;
  if (pipelineClass?.includes('XL')) {
    problems.push(`${files.modelIndex} describes a ${pipelineClass}; only Stable Diffusion 1.x/2.x models are supported.`);
  }

  let schedulerConfig = (await read(files.schedulerConfig)) as SchedulerConfig | undefined;
  if (!schedulerConfig) {
    guessed('scheduler settings', files.schedulerConfig, SD1_DEFAULTS.scheduler);
    schedulerConfig = { ...SD1_DEFAULTS.scheduler };
  }

  const unet = await read(files.unetConfig);
  const vaeConfigPath = existsSync(files.vaeDecoderConfig) ? files.vaeDecoderConfig : files.vaeEncoderConfig;
  const vae = await read(vaeConfigPath);
  const vaeScaleFactor = levelsScale(vae, 'VAE scale factor', vaeConfigPath, SD1_DEFAULTS.vaeScaleFactor);

  const config: ModelConfig = {
    schedulerConfig,
    unetSampleSize: numberFrom(unet, 'sample_size', files.unetConfig, SD1_DEFAULTS.unetSampleSize),
    unetInChannels: numberFrom(unet, 'in_channels', files.unetConfig, SD1_DEFAULTS.unetInChannels),
    unetDownsampling: levelsScale(unet, 'UNet downsampling', files.unetConfig, SD1_DEFAULTS.unetDownsampling),
    vaeScalingFactor: numberFrom(vae, 'scaling_factor', vaeConfigPath, SD1_DEFAULTS.vaeScalingFactor),
    vaeScaleFactor,
    latentChannels: numberFrom(vae, 'latent_channels', vaeConfigPath, SD1_DEFAULTS.latentChannels),
    pipelineClass,
    warnings,
    problems,
  };
  for (const [where, values] of guesses) {
    warnings.push(`${where} ${existsSync(where) ? 'does not give' : 'is absent; assuming'} Stable Diffusion 1.x's ${values.join(', ')}.`);
  }
  if (config.unetInChannels !== config.latentChannels) {
    problems.push(
      `${files.unetConfig} has in_channels ${config.unetInChannels} but the VAE has ${config.latentChannels} latent channels: inpainting and depth UNets are not supported. ${EXPORT_HINT}`,
    );
  }
  return config;
}
