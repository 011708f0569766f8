/**
 * `npx tsx companion-server/engine/preview/write-latent-rgb.ts models/<model>`: fits the preview
 * coefficients against the model's VAE decoder and writes <model>/latent_rgb.json (replacing it).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadModel } from '../model/load-model';
import { fitLatentRgb } from './fit-latent-rgb';
import { LATENT_RGB_FILE } from './latent-rgb';

async function main(directory: string | undefined): Promise<void> {
  if (!directory) throw new Error('Name the model folder to fit, e.g. models/tiny-sd.');
  const model = await loadModel(directory);
  try {
    const path = join(directory, LATENT_RGB_FILE);
    await writeFile(path, `${JSON.stringify(await fitLatentRgb(model), null, 2)}\n`);
    console.log(`Wrote ${path}.`);
  } finally {
    await model.release();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
