/**
 * The panel's connection to the companion: one WebSocket (binary frames as ArrayBuffer), the
 * handshake (hello, then auth with the stored token or pair with the code the companion prints),
 * automatic reconnection with backoff, and jobs whose progress, previews and results are routed to
 * the request that started them. Every message is built from and checked against the shared
 * protocol module, never redefined here.
 */
import { z } from 'zod';
import {
  decodeFrame,
  encodeFrame,
  parseServerMessage,
  MIN_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  type BrushParameters,
  type ClientMessageInput,
  type GenerationParams,
  type MaskParams,
  type ServerInfoMessage,
  type ServerMessage,
} from '../companion-server/protocol';
import type { GrayImage, RgbaImage } from './imaging/pixels';
import type { PixelRect } from './imaging/geometry';
import { CompanionError, grayOf, JobRouter, rgbaOf, type JobEvents, type ResultReader } from './job-router';

export { CompanionError };
export type { CompanionErrorCode, JobEvents, JobProgress } from './job-router';

// The manifest forbids code generation from strings; zod must not try to compile validators with new Function.
z.config({ jitless: true });

export type ConnectionStatus =
  | { kind: 'connecting' }
  /** No token yet, or the companion no longer knows it: the user types the code the companion prints. */
  | { kind: 'needs-pairing'; problem?: string }
  | { kind: 'ready'; info: ServerInfoMessage }
  | { kind: 'offline'; problem: string; retryInMs: number };

/** Where the token lives (UXP secure storage in Photoshop). */
export interface TokenKeeper {
  loadToken(): Promise<string | null>;
  saveToken(token: string): Promise<void>;
  forgetToken(): Promise<void>;
}

export interface CompanionClientOptions {
  url: string;
  clientName: string;
  clientVersion: string;
  tokens: TokenKeeper;
  onStatus(status: ConnectionStatus): void;
  /** Reconnect delays: the first, doubling up to the last. */
  backoff?: { initialMs: number; maxMs: number };
}

type BrushMessageInput = Extract<ClientMessageInput, { type: 'brush' }>;

export interface BrushJobInput {
  /** Every brush field except the pixels, the ids and the per-mask images. */
  settings: Omit<BrushMessageInput, 'type' | 'id' | 'source' | 'masks'>;
  source: RgbaImage;
  masks: { params: MaskParams; mask: GrayImage }[];
}

export interface BrushOutcome {
  variations: { index: number; image: RgbaImage; placement: PixelRect; layerMask: GrayImage }[];
  parameters: BrushParameters;
}

export interface GenerateOutcome {
  image: RgbaImage;
  parameters: GenerationParams;
}

export interface RunningJob<T> {
  readonly jobId: number;
  readonly result: Promise<T>;
  cancel(): void;
}

const DEFAULT_BACKOFF = { initialMs: 500, maxMs: 10_000 };

export class CompanionClient {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private readonly jobs = new JobRouter();
  /** Handshake requests waiting for their answer, by request id. */
  private readonly handshake = new Map<number, (message: ServerMessage) => void>();
  private status: ConnectionStatus = { kind: 'connecting' };

  constructor(private readonly options: CompanionClientOptions) {}

  /** Connects with the stored token; without one, waits for `pair`. */
  async start(): Promise<void> {
    this.stopped = false;
    const token = await this.options.tokens.loadToken();
    // The panel may have closed while secure storage answered: a stopped client stays unconnected.
    if (this.stopped) return;
    if (token === null) this.setStatus({ kind: 'needs-pairing' });
    else this.open({ kind: 'auth', token });
  }

  /** Connects and exchanges the code the companion printed for a token, kept for next time. */
  pair(code: string): void {
    this.stopped = false;
    this.open({ kind: 'pair', code: code.trim() });
  }

  stop(): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.dropSocket('The panel closed the connection.');
  }

  brush(input: BrushJobInput, events: JobEvents): RunningJob<BrushOutcome> {
    const jobId = this.newId();
    const sourceId = this.newId();
    const maskIds = input.masks.map(() => this.newId());
    const message: BrushMessageInput = {
      ...input.settings,
      type: 'brush',
      id: jobId,
      source: { imageId: sourceId },
      masks: input.masks.map((mask, i) => ({ ...mask.params, mask: { imageId: maskIds[i] } })),
    };
    const frames = [
      encodeFrame({ kind: 'upload', format: 'rgba8', requestId: jobId, imageId: sourceId, width: input.source.width, height: input.source.height }, input.source.data),
      ...input.masks.map((mask, i) =>
        encodeFrame({ kind: 'upload', format: 'gray8', requestId: jobId, imageId: maskIds[i], width: mask.mask.width, height: mask.mask.height }, mask.mask.data),
      ),
    ];
    return this.runJob(jobId, message, frames, events, (answer, images) => {
      if (answer.type !== 'brush-result') return null;
      return {
        parameters: answer.parameters,
        variations: answer.variations.map((variation) => ({
          index: variation.index,
          placement: variation.placement,
          image: rgbaOf(images, variation.image),
          layerMask: grayOf(images, variation.layerMask),
        })),
      };
    });
  }

  generate(params: GenerationParams & { previewEvery?: number }, events: JobEvents): RunningJob<GenerateOutcome> {
    const jobId = this.newId();
    return this.runJob(jobId, { ...params, type: 'generate', id: jobId }, [], events, (answer, images) =>
      answer.type === 'generate-result' ? { image: rgbaOf(images, answer.image), parameters: answer.parameters } : null,
    );
  }

  private runJob<T>(
    jobId: number,
    message: ClientMessageInput,
    frames: Uint8Array[],
    events: JobEvents,
    readResult: ResultReader<T>,
  ): RunningJob<T> {
    const socket = this.socket;
    if (!socket || this.status.kind !== 'ready') {
      const problem = 'The companion is not connected. Start it (npm start) and wait for the panel to show "Connected".';
      return { jobId, result: Promise.reject(new CompanionError('NOT_CONNECTED', problem)), cancel: () => undefined };
    }
    const result = this.jobs.add(jobId, events, readResult);
    socket.send(JSON.stringify(message));
    // Copies into exact-length ArrayBuffers: UXP's send takes ArrayBuffer reliably, views less so.
    for (const frame of frames) socket.send(frame.slice().buffer);
    return {
      jobId,
      result,
      cancel: () => {
        if (this.jobs.has(jobId)) this.send({ type: 'cancel', id: this.newId(), jobId });
      },
    };
  }

  private open(proof: { kind: 'auth'; token: string } | { kind: 'pair'; code: string }): void {
    this.dropSocket('Reconnecting.');
    this.setStatus({ kind: 'connecting' });
    const socket = new WebSocket(this.options.url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.onopen = () => this.greet(proof);
    socket.onmessage = (event) => this.receive(event.data as string | ArrayBuffer);
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.jobs.failAll(new CompanionError('CONNECTION_LOST', 'The connection to the companion was lost; the running job was cancelled. Brush again once it reconnects.'));
      if (this.status.kind === 'needs-pairing') return;
      const unreachable = `The companion is not reachable at ${this.options.url}. Start it with "npm start"`;
      // A failed pairing attempt waits for the user to press Pair again; a paired panel keeps retrying by itself.
      if (proof.kind === 'pair' && this.status.kind !== 'ready') this.setStatus({ kind: 'needs-pairing', problem: `${unreachable}, then press Pair again.` });
      else this.scheduleReconnect(`${unreachable}; the panel keeps retrying.`);
    };
  }

  private greet(proof: { kind: 'auth'; token: string } | { kind: 'pair'; code: string }): void {
    const helloId = this.newId();
    this.expect(helloId, (welcome) => {
      if (welcome.type !== 'welcome') return this.handshakeFailed(welcome);
      const proofId = this.newId();
      this.expect(proofId, (answer) => {
        if (answer.type === 'paired') {
          void this.options.tokens.saveToken(answer.token);
        } else if (answer.type !== 'authenticated') {
          return this.handshakeFailed(answer);
        }
        this.attempt = 0;
        const infoId = this.newId();
        this.expect(infoId, (info) => (info.type === 'server-info' ? this.setStatus({ kind: 'ready', info }) : this.handshakeFailed(info)));
        this.send({ type: 'get-info', id: infoId });
      });
      if (proof.kind === 'auth') this.send({ type: 'auth', id: proofId, token: proof.token });
      else this.send({ type: 'pair', id: proofId, code: proof.code, clientName: this.options.clientName });
    });
    this.send({
      type: 'hello',
      id: helloId,
      protocol: { min: MIN_PROTOCOL_VERSION, max: PROTOCOL_VERSION },
      client: { name: this.options.clientName, version: this.options.clientVersion },
    });
  }

  private handshakeFailed(answer: ServerMessage): void {
    const problem = answer.type === 'error' ? answer.message : `The companion answered "${answer.type}" during the handshake; update the panel or the companion.`;
    if (answer.type === 'error' && (answer.code === 'AUTH_TOKEN_INVALID' || answer.code === 'AUTH_TOKEN_REVOKED')) {
      void this.options.tokens.forgetToken();
      this.setStatus({ kind: 'needs-pairing', problem });
    } else if (answer.type === 'error' && answer.code.startsWith('PAIRING_')) {
      this.setStatus({ kind: 'needs-pairing', problem });
    } else {
      this.scheduleReconnect(problem);
    }
    // Wrong codes leave the connection open on the companion; the next try starts afresh anyway.
    if (this.status.kind === 'needs-pairing') this.dropSocket('Pairing needed.');
  }

  private expect(requestId: number, onAnswer: (message: ServerMessage) => void): void {
    this.handshake.set(requestId, onAnswer);
  }

  private receive(data: string | ArrayBuffer): void {
    if (typeof data !== 'string') return this.receiveFrame(data);
    const parsed = parseServerMessage(data);
    if (!parsed.ok) return console.warn(`Diffusion Brush: ignored a message from the companion: ${parsed.detail}`);
    const message = parsed.message;
    if (message.type === 'shutdown') return this.scheduleReconnect(message.message);
    if (message.type === 'server-info' && message.replyTo === null && this.status.kind === 'ready') {
      return this.setStatus({ kind: 'ready', info: message });
    }
    const replyTo = message.replyTo;
    if (replyTo === null) {
      if (message.type === 'error') console.warn(`Diffusion Brush: companion error: ${message.message}`);
      return;
    }
    const handshakeAnswer = this.handshake.get(replyTo);
    if (handshakeAnswer) {
      this.handshake.delete(replyTo);
      return handshakeAnswer(message);
    }
    this.jobs.route(replyTo, message);
  }

  private receiveFrame(data: ArrayBuffer): void {
    const decoded = decodeFrame(data);
    if (!decoded.ok) return console.warn(`Diffusion Brush: ignored a binary frame: ${decoded.problem}`);
    this.jobs.receiveFrame(decoded.frame);
  }

  private send(message: ClientMessageInput): void {
    this.socket?.send(JSON.stringify(message));
  }

  private newId(): number {
    return this.nextId++;
  }

  private scheduleReconnect(problem: string): void {
    this.dropSocket(problem);
    if (this.stopped) return;
    const backoff = this.options.backoff ?? DEFAULT_BACKOFF;
    const retryInMs = Math.min(backoff.maxMs, backoff.initialMs * 2 ** this.attempt);
    this.attempt += 1;
    this.setStatus({ kind: 'offline', problem, retryInMs });
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.start();
    }, retryInMs);
  }

  private dropSocket(reason: string): void {
    const socket = this.socket;
    this.socket = null;
    this.handshake.clear();
    if (socket) {
      socket.onclose = null;
      socket.close(1000, reason.slice(0, 120));
    }
    this.jobs.failAll(new CompanionError('CONNECTION_LOST', `The connection to the companion closed (${reason}); the running job was cancelled.`));
  }

  private setStatus(status: ConnectionStatus): void {
    this.status = status;
    this.options.onStatus(status);
  }
}

