/**
 * The companion's settings, from (lowest to highest precedence) defaults, the config file, environment
 * variables and command-line flags. Each value remembers where it came from, so errors can say
 * which one to fix.
 */
import { z } from 'zod';
import { DEFAULT_PORT } from '../protocol/limits';
import type { FileSettings } from './config-file';
import { LOG_LEVELS, type LogLevel } from './logger';

export interface CompanionSettings {
  port: number;
  host: string;
  /** The model folder loaded at start. */
  modelDir: string;
  /** Execution providers to try, in order; undefined lets the engine choose. */
  providers?: string[];
  /** Memory the engine may use for caches, in MiB; undefined lets the engine choose. */
  memoryBudgetMb?: number;
  logLevel: LogLevel;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_MODEL_DIR = 'models/tiny-sd';
export const DEFAULT_LOG_LEVEL: LogLevel = 'info';

/** The environment variable for each setting. */
export const SETTINGS_ENV = {
  port: 'DIFFUSION_BRUSH_PORT',
  host: 'DIFFUSION_BRUSH_HOST',
  modelDir: 'DIFFUSION_BRUSH_MODEL_DIR',
  providers: 'DIFFUSION_BRUSH_PROVIDERS',
  memoryBudgetMb: 'DIFFUSION_BRUSH_MEMORY_BUDGET_MB',
  logLevel: 'DIFFUSION_BRUSH_LOG_LEVEL',
} as const satisfies Record<keyof CompanionSettings, string>;

/** Settings as text, the way flags and environment variables give them. */
export type RawSettings = Partial<Record<keyof CompanionSettings, string>>;

const textSchemas = {
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().min(1),
  modelDir: z.string().min(1),
  providers: z.string().transform((list) => list.split(',').map((name) => name.trim()).filter((name) => name.length > 0)),
  memoryBudgetMb: z.coerce.number().positive(),
  logLevel: z.enum(LOG_LEVELS),
} satisfies { [K in keyof CompanionSettings]: z.ZodType<CompanionSettings[K] & {}, unknown> };

export class SettingsError extends Error {
  readonly code = 'SETTING_INVALID';
}

export function resolveSettings(flags: RawSettings, env: NodeJS.ProcessEnv, file: FileSettings = {}): CompanionSettings {
  const settings: CompanionSettings = {
    port: DEFAULT_PORT,
    host: DEFAULT_HOST,
    modelDir: DEFAULT_MODEL_DIR,
    logLevel: DEFAULT_LOG_LEVEL,
    ...withoutUndefined(file),
  };
  const fromEnv: RawSettings = {};
  for (const key of Object.keys(SETTINGS_ENV) as (keyof CompanionSettings)[]) {
    const value = env[SETTINGS_ENV[key]];
    if (value !== undefined && value !== '') fromEnv[key] = value;
  }
  applyText(settings, fromEnv, (key) => `environment variable ${SETTINGS_ENV[key]}`);
  applyText(settings, flags, (key) => `flag --${kebab(key)}`);
  return settings;
}

function applyText(settings: CompanionSettings, raw: RawSettings, source: (key: keyof CompanionSettings) => string): void {
  for (const key of Object.keys(raw) as (keyof CompanionSettings)[]) {
    const text = raw[key];
    if (text === undefined) continue;
    const parsed = textSchemas[key].safeParse(text);
    if (!parsed.success) {
      throw new SettingsError(`The ${source(key)} has an invalid value "${text}" (${parsed.error.issues[0]?.message}); fix or remove it.`);
    }
    Object.assign(settings, { [key]: parsed.data });
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** Loopback addresses: the only ones the companion binds to without an explicit flag. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
