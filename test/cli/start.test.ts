/**
 * `start` and `tokens` as a user runs them (tsx companion-server/cli.ts ...): what start prints, a
 * paired client, a clean exit 0 on SIGTERM with the running job cancelled, then token revocation.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TestClient } from '../server/support/test-client';

const ROOT = join(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const STARTUP_TIMEOUT_MS = 60_000;

let dir: string;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'companion-cli-'));
  env = { ...process.env, DIFFUSION_BRUSH_CONFIG: join(dir, 'config.json'), DIFFUSION_BRUSH_PROVIDERS: 'cpu' };
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => promisify(execFile)(TSX, ['companion-server/cli.ts', ...args], { cwd: ROOT, env });

function startCompanion(...args: string[]): Promise<{ child: ChildProcess; url: string; code: string; output: () => string }> {
  const child = spawn(TSX, ['companion-server/cli.ts', 'start', '--port', '0', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address and code printed:\n${output}`)), STARTUP_TIMEOUT_MS);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (ws:\/\/[\d.]+:\d+)/.exec(output)?.[1];
      const code = /Pairing code: (\d{3}-\d{3}-\d{3}) /.exec(output)?.[1];
      if (url && code) {
        clearTimeout(timer);
        resolve({ child, url, code, output: () => output });
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${exitCode}:\n${output}`));
    });
  });
}

describe('npm start', () => {
  it('listens on 127.0.0.1 and prints address, model, provider and pairing code; SIGTERM cancels the running job, tells the client and exits 0', async () => {
    const { child, url, code, output } = await startCompanion();
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(output()).toMatch(/Model: tiny-sd \(models\/tiny-sd\), execution provider: cpu/);
    expect(output()).toMatch(/tiny-sd has random weights.*its pictures are noise/);
    const client = await TestClient.connect(url);
    await client.hello();
    expect(await client.request({ type: 'pair', id: 1, code, clientName: 'cli test' })).toMatchObject({ type: 'paired' });
    client.send({ type: 'generate', id: 2, prompt: 'lake', steps: 150, guidance: 4, scheduler: 'ddim', seed: 1, width: 256, height: 256 });
    await client.nextMessage((m) => m.type === 'progress' && m.phase === 'denoise');
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await client.nextMessage((m) => m.type === 'cancelled')).toMatchObject({ replyTo: 2, reason: 'shutdown' });
    expect(await client.nextMessage((m) => m.type === 'shutdown')).toMatchObject({ message: expect.stringContaining('SIGTERM') });
    expect(await client.whenClosed()).toBe(1001);
    expect(await exited).toBe(0);

    const listed = (await cli('tokens', 'list')).stdout;
    const tokenId = /^(\w{8}) {2}cli test {2}paired .* {2}active$/m.exec(listed)?.[1];
    expect(tokenId).toBeDefined();
    expect((await cli('tokens', 'revoke', tokenId as string)).stdout).toMatch(`Revoked token ${tokenId}`);
    expect((await cli('tokens', 'list')).stdout).toMatch(new RegExp(`${tokenId}  cli test  paired .*  revoked `));
    await expect(cli('tokens', 'revoke', 'nope')).rejects.toMatchObject({ stderr: expect.stringContaining('No token has the id "nope"') });
  });

  it('binds to another interface only with --allow-remote, and then warns that it is reachable and unencrypted', async () => {
    const { child, url, output } = await startCompanion('--host', '0.0.0.0', '--allow-remote');
    expect(url).toMatch(/^ws:\/\/0\.0\.0\.0:\d+$/);
    expect(output()).toMatch(/warn Listening on 0\.0\.0\.0: other machines can reach the companion, and the connection is not encrypted/);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a non-loopback host without --allow-remote, naming the flag', async () => {
    await expect(cli('start', '--host', '0.0.0.0', '--port', '0')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('--allow-remote') });
  });
});
