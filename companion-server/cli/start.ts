/**
 * `start` (also `npm start`): runs the companion server for the Photoshop panel. Settings come from
 * flags, then environment variables, then the config file, then defaults; `--help` lists them all.
 */
import { relative, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { readConfig } from '../config/config-file';
import { createLogger, LOG_LEVELS } from '../config/logger';
import { CONFIG_FILE_ENV, resolveConfigFile } from '../config/paths';
import { DEFAULT_HOST, DEFAULT_LOG_LEVEL, DEFAULT_MODEL_DIR, isLoopbackHost, resolveSettings, SETTINGS_ENV, type RawSettings } from '../config/settings';
import { DEFAULT_PORT } from '../protocol';
import { CompanionServer } from '../server/companion-server';
import { engineHostOpener } from '../server/engine-host-adapter';

interface StartOptions extends RawSettings {
  config?: string;
  allowRemote?: boolean;
}

/** How often the pairing code's expiry is checked, so a renewed code is printed promptly. */
const PAIRING_CHECK_MS = 1000;

export function startCommand(): Command {
  return new Command('start')
    .description('Start the companion server the Photoshop panel connects to.')
    .addOption(new Option('--port <port>', `TCP port (0 picks a free one) [env ${SETTINGS_ENV.port}, default ${DEFAULT_PORT}]`))
    .addOption(new Option('--host <address>', `address to listen on [env ${SETTINGS_ENV.host}, default ${DEFAULT_HOST}]`))
    .addOption(new Option('--allow-remote', 'allow a --host other than loopback (the connection is not encrypted)'))
    .addOption(new Option('--model-dir <path>', `model folder to load [env ${SETTINGS_ENV.modelDir}, default ${DEFAULT_MODEL_DIR}]`))
    .addOption(new Option('--providers <list>', `execution providers to try in order, e.g. cuda,cpu [env ${SETTINGS_ENV.providers}]`))
    .addOption(new Option('--memory-budget-mb <mb>', `memory for engine caches, MiB [env ${SETTINGS_ENV.memoryBudgetMb}]`))
    .addOption(new Option('--log-level <level>', `${LOG_LEVELS.join(', ')} [env ${SETTINGS_ENV.logLevel}, default ${DEFAULT_LOG_LEVEL}]`))
    .addOption(new Option('--config <file>', `config file (settings under "server", paired tokens) [env ${CONFIG_FILE_ENV}, default: the user config directory]`))
    .action(async (options: StartOptions) => {
      const { config, allowRemote, ...flags } = options;
      const configFile = resolveConfigFile(config);
      const settings = resolveSettings(flags, process.env, (await readConfig(configFile)).server);
      const logger = createLogger(settings.logLevel);
      if (!isLoopbackHost(settings.host) && allowRemote === true) {
        logger.warn(`Listening on ${settings.host}: other machines can reach the companion, and the connection is not encrypted.`);
      }
      let started = false;
      const server = await CompanionServer.start({
        host: settings.host,
        port: settings.port,
        allowNonLoopback: allowRemote,
        modelDir: settings.modelDir,
        openEngine: engineHostOpener({ providers: settings.providers, memoryBudgetMb: settings.memoryBudgetMb }),
        configFile,
        logger,
        serverVersion: process.env.npm_package_version,
        pairing: { onNewCode: (code, expiresAt) => started && printPairingCode('New pairing code', code, expiresAt) },
      });
      started = true;
      const { host, port } = server.address;
      const model = server.engine.current;
      console.log(`Diffusion Brush companion listening on ws://${host.includes(':') ? `[${host}]` : host}:${port}`);
      console.log(`Model: ${model.model.id} (${relative(process.cwd(), settings.modelDir) || '.'}), execution provider: ${model.provider}`);
      if (resolve(settings.modelDir) === resolve(DEFAULT_MODEL_DIR)) {
        console.log('Note: the bundled tiny-sd has random weights. It runs the whole pipeline, but its pictures are noise; use a real model with --model-dir (see models/README.md).');
      }
      const { code, expiresAt } = server.pairingCode();
      printPairingCode('Pairing code', code, expiresAt);
      console.log(`Config file: ${configFile}`);
      const pairingTimer = setInterval(() => server.pairingCode(), PAIRING_CHECK_MS);
      pairingTimer.unref();
      const shutdown = async (signal: string) => {
        console.log(`${signal}: cancelling jobs and shutting down.`);
        clearInterval(pairingTimer);
        await server.close(`The companion was stopped (${signal}).`);
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
    });
}

function printPairingCode(label: string, code: string, expiresAt: number): void {
  const minutes = Math.round((expiresAt - Date.now()) / 60_000);
  console.log(`${label}: ${groupDigits(code)} (enter it in the Photoshop panel to pair; valid for ${minutes} minutes)`);
}

/** "123456789" -> "123-456-789": easier to read and type; the server ignores the dashes. */
function groupDigits(code: string): string {
  return code.replace(/\B(?=(\d{3})+$)/g, '-');
}
