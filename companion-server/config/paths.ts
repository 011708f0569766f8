/** Where the companion keeps its config file: the user's config directory, unless told otherwise. */
import envPaths from 'env-paths';
import { join } from 'node:path';

export const APP_NAME = 'diffusion-brush';
/** Overrides the config file path (tests, several companions on one machine). */
export const CONFIG_FILE_ENV = 'DIFFUSION_BRUSH_CONFIG';

export function resolveConfigFile(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return explicit ?? env[CONFIG_FILE_ENV] ?? join(envPaths(APP_NAME, { suffix: '' }).config, 'config.json');
}
