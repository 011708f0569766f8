/**
 * Starts the real companion the way a user does (`npm start`, i.e. `tsx companion-server/cli.ts
 * start`) on an ephemeral loopback port with models/tiny-sd and a throwaway config file, and reads
 * where it listens and its pairing code from what it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PAIRING_CODE_DIGITS } from '../../../companion-server/protocol';

const ROOT = path.join(__dirname, '..', '..', '..');
const STARTUP_TIMEOUT_MS = 90_000;

export interface RunningCompanion {
  url: string;
  pairingCode: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startCompanion(): Promise<RunningCompanion> {
  const configDir = mkdtempSync(path.join(tmpdir(), 'diffusion-brush-panel-test-'));
  const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['companion-server/cli.ts', 'start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DIFFUSION_BRUSH_PORT: '0',
      DIFFUSION_BRUSH_MODEL_DIR: path.join(ROOT, 'models', 'tiny-sd'),
      DIFFUSION_BRUSH_CONFIG: path.join(configDir, 'config.json'),
      DIFFUSION_BRUSH_PROVIDERS: 'cpu',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const stop = () => stopChild(child).finally(() => rmSync(configDir, { recursive: true, force: true }));
  try {
    const { url, pairingCode } = await new Promise<{ url: string; pairingCode: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The companion printed no address and pairing code within ${STARTUP_TIMEOUT_MS / 1000} s:\n${output}`)), STARTUP_TIMEOUT_MS);
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const url = /ws:\/\/(?:127\.0\.0\.1|localhost):\d+/.exec(output)?.[0];
        // Printed in groups of three ("123-456-789"), typed into the panel as printed.
        const code = /pairing code: ([\d-]+)/i.exec(output)?.[1];
        if (code && code.replace(/-/g, '').length !== PAIRING_CODE_DIGITS) {
          clearTimeout(timer);
          reject(new Error(`The companion printed a pairing code of the wrong length: ${code}`));
        }
        if (url && code) {
          clearTimeout(timer);
          resolve({ url, pairingCode: code });
        }
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`The companion exited (code ${code}) before it was ready:\n${output}`));
      });
    });
    return { url, pairingCode, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
