/**
 * Seeded fuzzing of the transport: malformed, truncated, oversized and wrongly typed messages and
 * frames. Every one must be answered with an error (or, before authentication, end that connection),
 * the server must keep serving, and a valid job must still run on the real engine afterwards.
 */
import {
  encodeFrame,
  FRAME_HEADER_BYTES,
  MAX_FRAME_BYTES,
  MAX_JSON_TEXT_BYTES,
  parseClientMessage,
  type ClientMessageInput,
} from '../../companion-server/protocol';
import { openTinyEngine, SMALL_GENERATION, TINY_SD } from './support/real-engine';
import { startTestServer, type TestServer } from './support/server-fixture';
import { TestClient } from './support/test-client';

const FUZZ_SEED = 0x5eed_2026;
const AUTHENTICATED_CASES = 1200;
const UNAUTHENTICATED_CASES = 60;

/** mulberry32: a small seeded PRNG, so a failure can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Case = { name: string; data: string | Uint8Array };

const validMessages: ClientMessageInput[] = [
  { type: 'generate', id: 1, ...SMALL_GENERATION },
  {
    type: 'brush',
    id: 2,
    source: { imageId: 0 },
    masks: [{ mask: { imageId: 1 }, step: 2, strength: 0.7, seed: 3, prompt: 'moss' }],
    prompt: 'lake',
    steps: 6,
    guidance: 4,
    scheduler: 'ddim',
    trajectory: { kind: 'generated', generation: SMALL_GENERATION },
    context: { kind: 'padding', pixels: 32 },
  },
  { type: 'switch-model', id: 3, modelId: 'tiny-sd' },
  { type: 'cancel', id: 4, jobId: 9 },
];

const wrongValues: unknown[] = [null, true, -1, 1.5, 2 ** 40, '', 'x'.repeat(5000), [], {}, [1, 2], { kind: 'nope' }, 'NaN', -0.0001];

function fuzzCases(random: () => number, count: number): Case[] {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const int = (max: number) => Math.floor(random() * max);
  const randomBytes = (length: number) => Uint8Array.from({ length }, () => int(256));
  const makers: (() => Case | null)[] = [
    () => ({ name: 'garbage text', data: `{${String.fromCharCode(...Array.from({ length: int(60) }, () => 32 + int(95)))}` }),
    () => {
      const text = JSON.stringify(pick(validMessages));
      return { name: 'truncated JSON', data: text.slice(0, int(text.length - 1)) };
    },
    () => {
      // A field somewhere in a valid message replaced by a value of the wrong type or range.
      const message = structuredClone(pick(validMessages)) as Record<string, unknown>;
      const paths = leafPaths(message).filter((path) => path[0] !== 'type' && path[0] !== 'id');
      setAt(message, pick(paths), pick(wrongValues));
      return { name: 'wrongly typed field', data: JSON.stringify(message) };
    },
    () => {
      const message = structuredClone(pick(validMessages)) as Record<string, unknown>;
      const paths = leafPaths(message).filter((path) => path[0] !== 'type' && path[0] !== 'id');
      deleteAt(message, pick(paths));
      return { name: 'missing field', data: JSON.stringify(message) };
    },
    () => ({ name: 'not an object', data: JSON.stringify(pick([1, 'hello', null, [1, 2], true, 3.5])) }),
    () => ({ name: 'unknown type', data: JSON.stringify({ type: pick(['format', 'eval', '', 'Hello', 'ping ']), id: int(100) }) }),
    () => {
      const depth = 1 + int(100_000);
      return { name: 'deeply nested', data: `{"type":${'['.repeat(depth)}${']'.repeat(depth)},"id":1}` };
    },
    () => ({ name: 'bad id', data: JSON.stringify({ type: 'ping', id: pick([-1, 2 ** 32, 'one', null, 0.5]) }) }),
    () => ({ name: 'oversized text', data: JSON.stringify({ type: 'ping', id: 1, pad: 'x'.repeat(MAX_JSON_TEXT_BYTES + int(1000)) }) }),
    () => ({ name: 'binary garbage', data: randomBytes(int(FRAME_HEADER_BYTES * 3)) }),
    () => {
      const frame = encodeFrame({ kind: 'upload', format: 'gray8', requestId: int(10), imageId: 0, width: 4, height: 4 }, new Uint8Array(16));
      frame[4 + int(4)] = 200 + int(50); // version, kind, format or reserved byte
      const cut = random() < 0.5 ? frame.subarray(0, FRAME_HEADER_BYTES + int(16)) : frame;
      return frame[7] !== 0 && cut === frame ? null : { name: 'corrupt frame header', data: cut };
    },
    () => ({
      name: 'frame for no request',
      data: encodeFrame({ kind: 'upload', format: 'gray8', requestId: 500 + int(1000), imageId: int(3), width: 2, height: 2 }, new Uint8Array(4)),
    }),
    () => ({ name: 'server-only frame kind', data: encodeFrame({ kind: pick(['preview', 'result'] as const), format: 'gray8', requestId: 1, imageId: 0, width: 1, height: 1 }, new Uint8Array(1)) }),
  ];
  const cases: Case[] = [];
  while (cases.length < count) {
    const made = pick(makers)();
    // A mutation that happens to be valid would be a real request, not fuzz: draw another.
    if (made === null || (typeof made.data === 'string' && parseClientMessage(made.data).ok)) continue;
    cases.push(made);
  }
  return cases;
}

function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, child]) => leafPaths(child, [...prefix, key]))].filter((path) => path.length > 0);
}

function parentOf(root: Record<string, unknown>, path: (string | number)[]): Record<string | number, unknown> {
  return path.slice(0, -1).reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, root);
}

function setAt(root: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  parentOf(root, path)[path[path.length - 1]] = value;
}

function deleteAt(root: Record<string, unknown>, path: (string | number)[]): void {
  delete parentOf(root, path)[path[path.length - 1]];
}

let fixture: TestServer;

beforeAll(async () => {
  fixture = await startTestServer(openTinyEngine, { modelDir: TINY_SD });
});

afterAll(async () => {
  await fixture.stop();
});

describe('the server under fuzzed input', () => {
  it(`answers ${AUTHENTICATED_CASES} bad messages on an authenticated connection with errors, then still runs a job`, async () => {
    const random = seededRandom(FUZZ_SEED);
    const client = await fixture.client();
    const cases = fuzzCases(random, AUTHENTICATED_CASES);
    for (const fuzz of cases) client.socket.send(fuzz.data);
    const counts = new Map<string, number>();
    for (const fuzz of cases) {
      const answer = await client.nextMessage();
      expect([fuzz.name, answer.type]).toEqual([fuzz.name, 'error']);
      if (answer.type === 'error') counts.set(answer.code, (counts.get(answer.code) ?? 0) + 1);
    }
    console.log(`fuzz (seed ${FUZZ_SEED}): ${cases.length} cases answered: ${JSON.stringify(Object.fromEntries(counts))}`);
    expect(client.closeCode).toBeNull();
    expect(await client.request({ type: 'ping', id: 77 })).toMatchObject({ type: 'pong' });

    const other = await fixture.client();
    other.send({ type: 'generate', id: 1, ...SMALL_GENERATION, steps: 2 });
    expect((await other.jobEvents(1)).at(-1)).toMatchObject({ kind: 'frame', frame: { kind: 'result', width: 64 } });
    client.send({ type: 'generate', id: 2, ...SMALL_GENERATION, steps: 2 });
    expect((await client.jobEvents(2)).at(-1)).toMatchObject({ kind: 'frame', frame: { kind: 'result', width: 64 } });
  });

  it(`ends ${UNAUTHENTICATED_CASES} unauthenticated connections that send bad messages, each with an error first`, async () => {
    const random = seededRandom(FUZZ_SEED + 1);
    const cases = fuzzCases(random, UNAUTHENTICATED_CASES);
    for (const [i, fuzz] of cases.entries()) {
      const client = await TestClient.connect(fixture.url);
      if (i % 2 === 1) await client.hello();
      client.socket.send(fuzz.data);
      expect([fuzz.name, (await client.nextMessage()).type]).toEqual([fuzz.name, 'error']);
      expect(await client.whenClosed()).toBe(1008);
    }
  });

  it('closes a connection that sends a frame over the size limit (1009) and keeps serving others', async () => {
    const client = await fixture.client();
    client.socket.send(new Uint8Array(MAX_FRAME_BYTES + 1));
    expect(await client.whenClosed()).toBe(1009);
    const other = await fixture.client();
    expect(await other.request({ type: 'ping', id: 1 })).toMatchObject({ type: 'pong' });
  });
});
