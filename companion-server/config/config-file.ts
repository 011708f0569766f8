/**
 * The companion's config file (JSON): server settings the user chose, and the paired clients'
 * token hashes (never the tokens). Written atomically and readable by the user only.
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { LOG_LEVELS } from './logger';

export const storedTokenSchema = z.object({
  id: z.string(),
  /** The client name given when pairing. */
  name: z.string(),
  /** sha256 of the token, hex. */
  hash: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().optional(),
});

export const fileSettingsSchema = z.object({
  port: z.number().int().min(0).max(65535).optional(),
  host: z.string().optional(),
  modelDir: z.string().optional(),
  providers: z.array(z.string()).optional(),
  memoryBudgetMb: z.number().positive().optional(),
  logLevel: z.enum(LOG_LEVELS).optional(),
});

/** Unknown keys survive a rewrite, so a newer companion's settings are not lost by an older one. */
const configSchema = z.looseObject({
  server: fileSettingsSchema.optional(),
  tokens: z.array(storedTokenSchema).default([]),
});

export type StoredToken = z.infer<typeof storedTokenSchema>;
export type FileSettings = z.infer<typeof fileSettingsSchema>;
export type CompanionConfig = z.infer<typeof configSchema>;

export class ConfigFileError extends Error {
  readonly code = 'CONFIG_FILE_INVALID';
}

export async function readConfig(path: string): Promise<CompanionConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return configSchema.parse({});
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigFileError(`The config file ${path} is not JSON (${(error as Error).message}); fix it or delete it to start over.`);
  }
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigFileError(`The config file ${path} has invalid entries (${issues}); fix them or delete the file.`);
  }
  return parsed.data;
}

export async function writeConfig(path: string, config: CompanionConfig): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

/** Read, change and write back, one change at a time within this process. */
export function createConfigUpdater(path: string): (change: (config: CompanionConfig) => void) => Promise<CompanionConfig> {
  let last: Promise<unknown> = Promise.resolve();
  return (change) => {
    const next = last.then(async () => {
      const config = await readConfig(path);
      change(config);
      await writeConfig(path, config);
      return config;
    });
    last = next.catch(() => undefined);
    return next;
  };
}
