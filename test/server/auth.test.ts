import { writeFileSync } from 'node:fs';
import WebSocket from 'ws';
import { MAX_CONNECTIONS, MAX_PAIRING_ATTEMPTS_GLOBAL, MAX_PAIRING_ATTEMPTS_PER_CONNECTION, PAIRING_CODE_DIGITS, PROTOCOL_VERSION } from '../../companion-server/protocol';
import { REFUSAL_HEADER } from '../../companion-server/server/companion-server';
import { FakeEngine } from './support/fake-engine';
import { startTestServer, type TestServer } from './support/server-fixture';
import { TestClient } from './support/test-client';

let fixture: TestServer;

beforeEach(async () => {
  fixture = await startTestServer(async () => new FakeEngine());
});

afterEach(async () => {
  await fixture.stop();
});

async function helloClient(): Promise<TestClient> {
  const client = await TestClient.connect(fixture.url);
  expect(await client.hello()).toMatchObject({ type: 'welcome', protocolVersion: PROTOCOL_VERSION });
  return client;
}

describe('pairing and authentication', () => {
  it('a paired client gets a token, is answered, and can authenticate with the token later', async () => {
    const client = await helloClient();
    const paired = await client.request({ type: 'pair', id: 1, code: fixture.server.pairingCode().code, clientName: 'panel' });
    expect(paired).toMatchObject({ type: 'paired', replyTo: 1, token: expect.stringMatching(/^dbt_[\w-]{43}$/) });
    expect(await client.request({ type: 'ping', id: 2 })).toMatchObject({ type: 'pong', replyTo: 2 });
    client.close();

    const again = await TestClient.authenticated(fixture.url, (paired as { token: string }).token);
    expect(await again.request({ type: 'get-info', id: 3 })).toMatchObject({ type: 'server-info', model: { id: 'fake' }, provider: 'cpu' });
    again.close();
  });

  it('stores only a hash of the token in the config file', async () => {
    const token = await fixture.pairToken('panel');
    const [stored] = await fixture.server.tokens.list();
    expect(stored).toMatchObject({ name: 'panel', hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(JSON.stringify(stored)).not.toContain(token.slice(4));
  });

  it('refuses a request before authentication (no token) and closes', async () => {
    const client = await helloClient();
    expect(await client.request({ type: 'get-info', id: 5 })).toMatchObject({ type: 'error', replyTo: 5, code: 'AUTH_REQUIRED' });
    expect(await client.whenClosed()).toBe(1008);
  });

  it('refuses anything before hello', async () => {
    const client = await TestClient.connect(fixture.url);
    expect(await client.request({ type: 'auth', id: 6, token: 'x' })).toMatchObject({ type: 'error', replyTo: 6, code: 'HELLO_REQUIRED' });
    expect(await client.whenClosed()).toBe(1008);
  });

  it('refuses a client with no common protocol version', async () => {
    const client = await TestClient.connect(fixture.url);
    const answer = await client.request({ type: 'hello', id: 1, protocol: { min: PROTOCOL_VERSION + 1, max: PROTOCOL_VERSION + 2 }, client: { name: 'future' } });
    expect(answer).toMatchObject({ type: 'error', replyTo: 1, code: 'PROTOCOL_VERSION_UNSUPPORTED' });
    expect(await client.whenClosed()).toBe(1002);
  });

  it('refuses a wrong token', async () => {
    await fixture.pairToken();
    const client = await helloClient();
    expect(await client.request({ type: 'auth', id: 7, token: 'dbt_not-a-token' })).toMatchObject({ type: 'error', replyTo: 7, code: 'AUTH_TOKEN_INVALID' });
    expect(await client.whenClosed()).toBe(1008);
  });

  it('refuses a revoked token', async () => {
    const token = await fixture.pairToken();
    const [stored] = await fixture.server.tokens.list();
    expect(await fixture.server.tokens.revoke(stored.id)).toBe(true);
    const client = await helloClient();
    expect(await client.request({ type: 'auth', id: 8, token })).toMatchObject({ type: 'error', replyTo: 8, code: 'AUTH_TOKEN_REVOKED' });
    expect(await client.whenClosed()).toBe(1008);
  });

  it('answers an unexpected failure (here an unreadable config file) with INTERNAL_ERROR and the request id', async () => {
    const token = await fixture.pairToken();
    writeFileSync(fixture.configFile, '{ not json');
    const client = await helloClient();
    expect(await client.request({ type: 'auth', id: 9, token })).toMatchObject({ type: 'error', replyTo: 9, code: 'INTERNAL_ERROR' });
    // The connection stays unauthenticated: nothing else is answered.
    expect(await client.request({ type: 'get-info', id: 10 })).toMatchObject({ type: 'error', replyTo: 10, code: 'AUTH_REQUIRED' });
  });

  it('ends an open connection once its token is revoked', async () => {
    await fixture.stop();
    fixture = await startTestServer(async () => new FakeEngine(), { heartbeatIntervalMs: 50 });
    const client = await fixture.client();
    const [stored] = await fixture.server.tokens.list();
    await fixture.server.tokens.revoke(stored.id);
    expect(await client.nextMessage()).toMatchObject({ type: 'error', replyTo: null, code: 'AUTH_TOKEN_REVOKED' });
    expect(await client.whenClosed()).toBe(1008);
  });

  it('answers wrong pairing codes, then closes the connection after the per-connection limit', async () => {
    const client = await helloClient();
    const wrong = wrongCode();
    for (let attempt = 1; attempt < MAX_PAIRING_ATTEMPTS_PER_CONNECTION; attempt++) {
      expect(await client.request({ type: 'pair', id: attempt, code: wrong, clientName: 'guess' })).toMatchObject({ type: 'error', replyTo: attempt, code: 'PAIRING_CODE_INVALID' });
    }
    expect(await client.request({ type: 'pair', id: 99, code: wrong, clientName: 'guess' })).toMatchObject({ type: 'error', replyTo: 99, code: 'PAIRING_RATE_LIMITED' });
    expect(await client.whenClosed()).toBe(1008);
  });

  it('refuses even the right code once too many wrong codes came in across connections', async () => {
    let sent = 0;
    while (sent < MAX_PAIRING_ATTEMPTS_GLOBAL) {
      const client = await helloClient();
      for (let i = 1; i < MAX_PAIRING_ATTEMPTS_PER_CONNECTION && sent < MAX_PAIRING_ATTEMPTS_GLOBAL; i++, sent++) {
        await client.request({ type: 'pair', id: i, code: wrongCode(), clientName: 'guess' });
      }
      client.close();
    }
    const client = await helloClient();
    const answer = await client.request({ type: 'pair', id: 1, code: fixture.server.pairingCode().code, clientName: 'panel' });
    expect(answer).toMatchObject({ type: 'error', code: 'PAIRING_RATE_LIMITED' });
  });

  it('keeps pages that send Origin: null from using up the pairing budget of clients that send no Origin', async () => {
    let sent = 0;
    while (sent < MAX_PAIRING_ATTEMPTS_GLOBAL) {
      const page = await TestClient.connect(fixture.url, { Origin: 'null' });
      await page.hello();
      for (let i = 1; i < MAX_PAIRING_ATTEMPTS_PER_CONNECTION && sent < MAX_PAIRING_ATTEMPTS_GLOBAL; i++, sent++) {
        await page.request({ type: 'pair', id: i, code: wrongCode(), clientName: 'page' });
      }
      page.close();
    }
    const page = await TestClient.connect(fixture.url, { Origin: 'null' });
    await page.hello();
    const right = fixture.server.pairingCode().code;
    expect(await page.request({ type: 'pair', id: 1, code: right, clientName: 'page' })).toMatchObject({ type: 'error', code: 'PAIRING_RATE_LIMITED' });
    const panel = await helloClient();
    expect(await panel.request({ type: 'pair', id: 1, code: right, clientName: 'panel' })).toMatchObject({ type: 'paired' });
  });

  it('refuses an expired pairing code', async () => {
    let now = Date.now();
    await fixture.stop();
    fixture = await startTestServer(async () => new FakeEngine(), { pairing: { lifetimeMs: 1000, now: () => now } });
    const { code } = fixture.server.pairingCode();
    now += 1001;
    const client = await helloClient();
    expect(await client.request({ type: 'pair', id: 1, code, clientName: 'late' })).toMatchObject({ type: 'error', replyTo: 1, code: 'PAIRING_CODE_EXPIRED' });
    const renewed = fixture.server.pairingCode().code;
    expect(await client.request({ type: 'pair', id: 2, code: renewed, clientName: 'late' })).toMatchObject({ type: 'paired' });
  });

  it.each(['http://evil.example', 'https://localhost:3000'])('refuses a browser page with Origin %s at the upgrade', async (origin) => {
    expect(await refusedUpgrade({ Origin: origin })).toEqual({ status: 403, code: 'ORIGIN_REFUSED' });
  });

  it('refuses connections over the limit at the upgrade', async () => {
    const open = await Promise.all(Array.from({ length: MAX_CONNECTIONS }, () => TestClient.connect(fixture.url)));
    expect(await refusedUpgrade({})).toEqual({ status: 503, code: 'TOO_MANY_CONNECTIONS' });
    open.forEach((client) => client.close());
  });

  it('closes a connection that does not authenticate in time', async () => {
    await fixture.stop();
    fixture = await startTestServer(async () => new FakeEngine(), { handshakeTimeoutMs: 50 });
    const client = await helloClient();
    expect(await client.nextMessage()).toMatchObject({ type: 'error', replyTo: null, code: 'HANDSHAKE_TIMEOUT' });
    expect(await client.whenClosed()).toBe(1008);
  });

  it('accepts a connection without a web Origin (the panel, local tools)', async () => {
    const client = await TestClient.connect(fixture.url, { Origin: 'uxp://diffusion-brush' });
    expect(await client.hello()).toMatchObject({ type: 'welcome' });
    client.close();
  });
});

function refusedUpgrade(headers: Record<string, string>): Promise<{ status: number; code: unknown }> {
  const socket = new WebSocket(fixture.url, { headers });
  return new Promise((resolve, reject) => {
    socket.on('unexpected-response', (_request, res) => resolve({ status: res.statusCode ?? 0, code: res.headers[REFUSAL_HEADER.toLowerCase()] }));
    socket.on('open', () => reject(new Error('the upgrade was accepted')));
    socket.on('error', () => undefined);
  });
}

function wrongCode(): string {
  const right = Number(fixture.server.pairingCode().code);
  return String((right + 1) % 10 ** PAIRING_CODE_DIGITS).padStart(PAIRING_CODE_DIGITS, '0');
}
