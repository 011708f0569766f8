/**
 * The panel's companion client against the real companion server (real sockets, ephemeral port),
 * with an engine that echoes its input instead of running ONNX.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocket as NodeWebSocket } from 'ws';
import { CompanionServer } from '../../companion-server/server/companion-server';
import { CompanionClient, CompanionError, type BrushJobInput, type ConnectionStatus, type TokenKeeper } from '../../plugin/client';
import { EchoEngine } from './support/echo-engine';

// UXP and browsers have WebSocket built in; Node 20 does not. ws speaks the same API.
(globalThis as { WebSocket?: unknown }).WebSocket = NodeWebSocket;

let configDir: string;
let server: CompanionServer;
const clients: CompanionClient[] = [];

beforeEach(async () => {
  configDir = mkdtempSync(path.join(tmpdir(), 'panel-client-'));
  server = await CompanionServer.start({
    port: 0,
    modelDir: path.join(configDir, 'echo'),
    openEngine: async () => new EchoEngine(),
    configFile: path.join(configDir, 'config.json'),
  });
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.stop();
  await server.close();
  rmSync(configDir, { recursive: true, force: true });
});

class MemoryTokens implements TokenKeeper {
  constructor(public token: string | null = null) {}
  async loadToken() {
    return this.token;
  }
  async saveToken(token: string) {
    this.token = token;
  }
  async forgetToken() {
    this.token = null;
  }
}

function connect(tokens: TokenKeeper) {
  const statuses: ConnectionStatus[] = [];
  let notify = () => undefined as void;
  const client = new CompanionClient({
    url: `ws://127.0.0.1:${server.address.port}`,
    clientName: 'panel test',
    clientVersion: '0',
    tokens,
    backoff: { initialMs: 20, maxMs: 100 },
    onStatus: (status) => {
      statuses.push(status);
      notify();
    },
  });
  clients.push(client);
  const until = (kind: ConnectionStatus['kind']) =>
    new Promise<ConnectionStatus>((resolve) => {
      const check = () => {
        const last = statuses.at(-1);
        if (last?.kind === kind) resolve(last);
      };
      notify = check;
      check();
    });
  return { client, statuses, until };
}

async function pairedClient() {
  const tokens = new MemoryTokens();
  const connection = connect(tokens);
  await connection.client.start();
  connection.client.pair(server.pairingCode().code);
  await connection.until('ready');
  return { ...connection, tokens };
}

function brushInput(): BrushJobInput {
  const source = { width: 4, height: 2, data: Uint8Array.from({ length: 32 }, (_, i) => i * 7) };
  return {
    settings: {
      prompt: 'a kite',
      steps: 4,
      guidance: 7,
      scheduler: 'ddim',
      trajectory: { kind: 'invert' },
      variations: 2,
      sourceOrigin: { left: 10, top: 20 },
      canvasSize: { width: 100, height: 100 },
      previewEvery: 2,
    },
    source,
    masks: [{ params: { step: 1, strength: 0.8, seed: 3 }, mask: { width: 4, height: 2, data: Uint8Array.from([0, 64, 128, 255, 0, 64, 128, 255]) } }],
  };
}

describe('the companion client', () => {
  it('waits for a pairing code without a token, pairs, keeps the token and reports the model', async () => {
    const { client, statuses, tokens, until } = await pairedClient();
    expect(statuses[0]).toEqual({ kind: 'needs-pairing' });
    expect(tokens.token).toEqual(expect.any(String));
    const ready = await until('ready');
    expect(ready.kind === 'ready' && ready.info.model.id).toBe('echo');
    client.stop();

    const again = connect(tokens);
    await again.client.start();
    await again.until('ready');
    expect(again.statuses.map((s) => s.kind)).toEqual(['connecting', 'ready']);
  });

  it('asks again for the code, with the companion\'s sentence, when the code is wrong', async () => {
    const { client, until } = connect(new MemoryTokens());
    client.pair('000000000' === server.pairingCode().code ? '111111111' : '000000000');
    const status = await until('needs-pairing');
    expect(status.kind === 'needs-pairing' && status.problem).toMatch(/pairing code is wrong/);
  });

  it('forgets a token the companion does not know and asks for pairing', async () => {
    const tokens = new MemoryTokens('not-a-real-token');
    const { client, until } = connect(tokens);
    await client.start();
    const status = await until('needs-pairing');
    expect(status.kind === 'needs-pairing' && status.problem).toMatch(/pair again/);
    expect(tokens.token).toBeNull();
  });

  it('runs a brush job: queued, progress with previews, then every variation\'s pixels and mask', async () => {
    const { client } = await pairedClient();
    const events: string[] = [];
    const input = brushInput();
    const job = client.brush(input, {
      onQueued: () => events.push('queued'),
      onStarted: () => events.push('started'),
      onProgress: (progress, preview) => events.push(`${progress.phase} ${progress.step}/${progress.total}${preview ? ` preview ${preview.width}x${preview.height}` : ''}`),
    });
    const outcome = await job.result;
    expect(events).toEqual(['queued', 'started', 'denoise 1/4', 'denoise 2/4 preview 8x8', 'denoise 3/4', 'denoise 4/4 preview 8x8']);
    expect(outcome.variations.map((v) => v.index)).toEqual([0, 1]);
    expect(outcome.variations[0].placement).toEqual({ left: 10, top: 20, width: 4, height: 2 });
    expect([...outcome.variations[0].image.data.subarray(0, 4)]).toEqual([255, 248, 241, 21]);
    expect(outcome.variations[1].layerMask.data).toEqual(input.masks[0].mask.data);
    expect(outcome.parameters.masks).toEqual([{ step: 1, strength: 0.8, seed: 3 }]);
  });

  it('cancels a running job: its result rejects as cancelled', async () => {
    const { client } = await pairedClient();
    const input = brushInput();
    input.settings.steps = 100;
    const job = client.brush(input, { onStarted: () => job.cancel() });
    await expect(job.result).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('refuses a job while not connected, saying how to fix it', async () => {
    const { client } = connect(new MemoryTokens());
    const job = client.brush(brushInput(), {});
    await expect(job.result).rejects.toBeInstanceOf(CompanionError);
    await expect(job.result).rejects.toMatchObject({ code: 'NOT_CONNECTED', message: expect.stringMatching(/npm start/) });
  });

  it('stays unconnected when stopped while it reads the stored token (the panel closed)', async () => {
    const { tokens, client: first } = await pairedClient();
    first.stop();
    const { client, statuses } = connect(tokens);
    const starting = client.start();
    client.stop();
    await starting;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(statuses).toEqual([]);
  });

  it('reconnects by itself after the companion restarts', async () => {
    const { until, statuses } = await pairedClient();
    const port = server.address.port;
    await server.close();
    await until('offline');
    server = await CompanionServer.start({
      port,
      modelDir: path.join(configDir, 'echo'),
      openEngine: async () => new EchoEngine(),
      configFile: path.join(configDir, 'config.json'),
    });
    await until('ready');
    expect(statuses.filter((s) => s.kind === 'offline').length).toBeGreaterThan(0);
  });
});
