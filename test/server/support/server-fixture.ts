/** A real companion server on an ephemeral port, with a throw-away config file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompanionServer, type CompanionServerOptions } from '../../../companion-server/server/companion-server';
import type { JobEngine } from '../../../companion-server/server/engine-port';
import { TestClient } from './test-client';

export interface TestServer {
  server: CompanionServer;
  url: string;
  configFile: string;
  /** Pairs a new client and returns its token. */
  pairToken(name?: string): Promise<string>;
  /** Connects, says hello and authenticates. */
  client(): Promise<TestClient>;
  stop(): Promise<void>;
}

export async function startTestServer(
  openEngine: (modelDir: string) => Promise<JobEngine>,
  options: Partial<CompanionServerOptions> = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'companion-test-'));
  const configFile = join(dir, 'config.json');
  const server = await CompanionServer.start({ port: 0, modelDir: join(dir, 'model'), openEngine, configFile, ...options });
  const url = `ws://127.0.0.1:${server.address.port}`;
  let token: string | null = null;
  const pairToken = async (name = 'test client') => {
    const client = await TestClient.connect(url);
    await client.hello();
    const answer = await client.request({ type: 'pair', id: client.newId(), code: server.pairingCode().code, clientName: name });
    client.close();
    if (answer.type !== 'paired') throw new Error(`pairing failed: ${JSON.stringify(answer)}`);
    return answer.token;
  };
  return {
    server,
    url,
    configFile,
    pairToken,
    client: async () => TestClient.authenticated(url, (token ??= await pairToken())),
    stop: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
