/** A WebSocket client for server tests: sends protocol messages, and waits for answers and frames. */
import WebSocket from 'ws';
import {
  decodeFrame,
  encodeFrame,
  PROTOCOL_VERSION,
  type ClientMessageInput,
  type FrameHeader,
  type ImageFrame,
  type ServerMessage,
} from '../../../companion-server/protocol';

export type Received = { kind: 'message'; message: ServerMessage } | { kind: 'frame'; frame: ImageFrame };

const WAIT_MS = 20_000;

export class TestClient {
  readonly received: Received[] = [];
  /** Indexes into `received` already returned by a wait. */
  private readonly taken = new Set<number>();
  private waiters: (() => void)[] = [];
  closeCode: number | null = null;
  private readonly closed: Promise<number>;
  private nextId = 1000;

  private constructor(readonly socket: WebSocket) {
    socket.binaryType = 'nodebuffer';
    socket.on('message', (data: Buffer, isBinary) => {
      if (isBinary) {
        const decoded = decodeFrame(new Uint8Array(data));
        if (!decoded.ok) throw new Error(`The server sent a bad frame: ${decoded.problem}`);
        this.received.push({ kind: 'frame', frame: { ...decoded.frame, pixels: decoded.frame.pixels.slice() } });
      } else {
        this.received.push({ kind: 'message', message: JSON.parse(data.toString('utf8')) as ServerMessage });
      }
      this.wake();
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code) => {
        this.closeCode = code;
        this.wake();
        resolve(code);
      }),
    );
  }

  static connect(url: string, headers: Record<string, string> = {}, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
    const socket = new WebSocket(url, { headers, perMessageDeflate: false, ...options });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new TestClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Connects, says hello and authenticates with the token. */
  static async authenticated(url: string, token: string): Promise<TestClient> {
    const client = await TestClient.connect(url);
    await client.hello();
    const answer = await client.request({ type: 'auth', id: client.newId(), token });
    if (answer.type !== 'authenticated') throw new Error(`auth failed: ${JSON.stringify(answer)}`);
    return client;
  }

  /** After a test empties `received`: start the bookkeeping of taken messages afresh. */
  forgetTaken(): void {
    this.taken.clear();
  }

  newId(): number {
    return this.nextId++;
  }

  async hello(): Promise<ServerMessage> {
    return this.request({ type: 'hello', id: this.newId(), protocol: { min: 1, max: PROTOCOL_VERSION }, client: { name: 'test' } });
  }

  send(message: ClientMessageInput | string): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  sendFrame(header: Omit<FrameHeader, 'kind'>, pixels: Uint8Array): void {
    this.socket.send(encodeFrame({ kind: 'upload', ...header }, pixels));
  }

  /** Sends and returns the first message answering it. */
  async request(message: ClientMessageInput): Promise<ServerMessage> {
    this.send(message);
    return this.nextMessage((answer) => 'replyTo' in answer && answer.replyTo === message.id);
  }

  /** The first message not yet taken that matches the predicate. */
  async nextMessage(matches: (message: ServerMessage) => boolean = () => true): Promise<ServerMessage> {
    const item = await this.next((received) => received.kind === 'message' && matches(received.message));
    return (item as Extract<Received, { kind: 'message' }>).message;
  }

  async nextFrame(requestId?: number): Promise<ImageFrame> {
    const item = await this.next((received) => received.kind === 'frame' && (requestId === undefined || received.frame.requestId === requestId));
    return (item as Extract<Received, { kind: 'frame' }>).frame;
  }

  /** Everything received for one job, up to and including its final message (result, cancelled or error). */
  async jobEvents(jobId: number): Promise<Received[]> {
    const events: Received[] = [];
    for (;;) {
      const item = await this.next((received) => received.kind === 'frame' ? received.frame.requestId === jobId : 'replyTo' in received.message && received.message.replyTo === jobId);
      events.push(item);
      if (item.kind === 'message' && ['generate-result', 'brush-result', 'cancelled', 'error'].includes(item.message.type)) {
        // A result's frames follow its message.
        const frames = item.message.type === 'generate-result' ? 1 : item.message.type === 'brush-result' ? 2 * item.message.variations.length : 0;
        for (let i = 0; i < frames; i++) events.push({ kind: 'frame', frame: await this.nextFrame(jobId) });
        return events;
      }
    }
  }

  async whenClosed(): Promise<number> {
    return withTimeout(this.closed, 'the connection to close');
  }

  close(): void {
    this.socket.close();
  }

  private async next(matches: (received: Received) => boolean): Promise<Received> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const index = this.received.findIndex((item, i) => !this.taken.has(i) && matches(item));
      if (index >= 0) {
        this.taken.add(index);
        return this.received[index];
      }
      if (this.closeCode !== null) throw new Error(`The connection closed (${this.closeCode}) while waiting.`);
      if (Date.now() > deadline) throw new Error('Timed out waiting for a message.');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
  }
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}.`)), WAIT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}
