/**
 * Where a Stable Diffusion ONNX folder keeps its files. The same layout serves the three exports
 * users have (optimum, diffusers' old conversion script, Olive); they differ inside the graphs and in
 * where external weights live (model.onnx_data or weights.pb beside model.onnx), not in file names.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const EXPORT_HINT =
  'Export the model with Hugging Face optimum (pip install optimum[onnxruntime]; optimum-cli export onnx --model <hub id or diffusers folder> <output folder>) and keep the output folder intact.';

export interface ModelFiles {
  directory: string;
  modelIndex: string;
  schedulerConfig: string;
  tokenizerDir: string;
  textEncoder: string;
  unet: string;
  unetConfig: string;
  vaeEncoder: string;
  vaeEncoderConfig: string;
  vaeDecoder: string;
  vaeDecoderConfig: string;
}

export function modelFiles(directory: string): ModelFiles {
  return {
    directory,
    modelIndex: join(directory, 'model_index.json'),
    schedulerConfig: join(directory, 'scheduler', 'scheduler_config.json'),
    tokenizerDir: join(directory, 'tokenizer'),
    textEncoder: join(directory, 'text_encoder', 'model.onnx'),
    unet: join(directory, 'unet', 'model.onnx'),
    unetConfig: join(directory, 'unet', 'config.json'),
    vaeEncoder: join(directory, 'vae_encoder', 'model.onnx'),
    vaeEncoderConfig: join(directory, 'vae_encoder', 'config.json'),
    vaeDecoder: join(directory, 'vae_decoder', 'model.onnx'),
    vaeDecoderConfig: join(directory, 'vae_decoder', 'config.json'),
  };
}

/** Every required file that is absent, each as a sentence naming the path and the fix. */
export function missingFiles(files: ModelFiles): string[] {
  if (!existsSync(files.directory)) {
    return [`${files.directory} does not exist. Point the companion at a Stable Diffusion ONNX folder (one containing unet/model.onnx). ${EXPORT_HINT}`];
  }
  const problems: string[] = [];
  for (const [path, what] of [
    [files.textEncoder, 'the text encoder'],
    [files.unet, 'the UNet'],
    [files.vaeDecoder, 'the VAE decoder'],
  ] as const) {
    if (!existsSync(path)) problems.push(`${path} is missing (${what}). ${EXPORT_HINT}`);
  }
  const tokenizer = (name: string) => existsSync(join(files.tokenizerDir, name));
  if (!tokenizer('tokenizer.json') && !(tokenizer('vocab.json') && tokenizer('merges.txt'))) {
    problems.push(
      `${files.tokenizerDir} needs vocab.json and merges.txt (or a tokenizer.json). Copy the tokenizer/ folder of the base model (e.g. from runwayml/stable-diffusion-v1-5) into the model folder.`,
    );
  }
  return problems;
}
