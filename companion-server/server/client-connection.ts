/**
 * One client connection: the handshake (hello, then auth or pair, nothing else answered before),
 * then requests. Messages are handled one at a time in arrival order; a bad message gets an error
 * answer and never disturbs other connections.
 */
import type { WebSocket } from 'ws';
import type { Logger } from '../config/logger';
import {
  decodeFrame,
  MAX_JSON_TEXT_BYTES,
  MAX_PAIRING_ATTEMPTS_PER_CONNECTION,
  negotiateProtocolVersion,
  parseClientMessage,
  PROTOCOL_VERSION,
  MIN_PROTOCOL_VERSION,
  type AuthMessage,
  type ClientMessage,
  type ErrorCode,
  type HelloMessage,
  type PairMessage,
  type ServerMessage,
} from '../protocol';
import { assertNever } from './assert-never';
import { errorMessage } from './errors';
import type { JobService } from './job-service';
import type { PairingBudget } from './origin-policy';
import type { PairingCodes } from './pairing';
import type { ClientOutput, JobOwner } from './server-job';
import type { TokenStore } from './token-store';

/** WebSocket close codes this server uses (RFC 6455 section 7.4.1). */
export const CLOSE_CODES = {
  goingAway: 1001,
  protocolError: 1002,
  policyViolation: 1008,
} as const;

/** What a connection needs from the rest of the server. */
export interface ConnectionServices {
  readonly logger: Logger;
  readonly tokens: TokenStore;
  readonly pairing: PairingCodes;
  readonly jobs: JobService;
  readonly serverName: { name: string; version: string };
  serverInfo(replyTo: number | null): ServerMessage;
  listModels(replyTo: number): Promise<ServerMessage>;
  switchModel(replyTo: number, modelId: string): Promise<ServerMessage>;
}

type Phase = 'greeting' | 'unauthenticated' | 'ready';

/** Unsent bytes above which previews are skipped, so they never pile up in front of a result. */
export const PREVIEW_BACKLOG_BYTES = 4 * 1024 * 1024;

export class ClientConnection implements JobOwner {
  private phase: Phase = 'greeting';
  private wrongPairingCodes = 0;
  private handling: Promise<void> = Promise.resolve();
  private answeredPing = true;
  /** The token this connection authenticated with, once it has. */
  tokenId: string | null = null;
  readonly output: ClientOutput;

  constructor(
    readonly clientId: number,
    private readonly socket: WebSocket,
    private readonly services: ConnectionServices,
    private readonly pairingBudget: PairingBudget,
  ) {
    this.output = {
      send: (message) => this.sendRaw(JSON.stringify(message)),
      sendFrame: (frame) => this.sendRaw(frame),
      isCongested: () => this.socket.bufferedAmount > PREVIEW_BACKLOG_BYTES,
    };
    socket.on('pong', () => {
      this.answeredPing = true;
    });
  }

  /**
   * Called every heartbeat interval. A peer that vanished without closing (sleep, a dropped network)
   * leaves no close event; not answering a ping ends the connection, which cancels its jobs.
   */
  checkAlive(): void {
    if (!this.answeredPing) {
      this.services.logger.info(`client ${this.clientId}: no answer to the last ping; ending the connection`);
      this.socket.terminate();
      return;
    }
    this.answeredPing = false;
    if (this.socket.readyState === this.socket.OPEN) this.socket.ping();
  }

  get isReady(): boolean {
    return this.phase === 'ready';
  }

  /** Queues the message behind the ones before it. */
  receive(data: Buffer, isBinary: boolean): void {
    this.handling = this.handling.then(() => this.handle(data, isBinary)).catch((error: unknown) => this.internalError(null, error));
  }

  /** A bug or an unreadable config file: logged in full, answered with the request's id. */
  private internalError(replyTo: number | null, error: unknown): void {
    this.services.logger.error(`client ${this.clientId}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    this.output.send(errorMessage(replyTo, 'INTERNAL_ERROR'));
  }

  /** Ends the connection after telling the client why. */
  refuse(replyTo: number | null, code: ErrorCode, detail: string | undefined, closeCode: number): void {
    this.output.send(errorMessage(replyTo, code, detail));
    this.close(closeCode, code);
  }

  close(closeCode: number, reason: string): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(closeCode, reason);
  }

  private async handle(data: Buffer, isBinary: boolean): Promise<void> {
    // Messages still queued behind a slow one (auth reads the config file) when the client left:
    // its jobs were already dropped, so nothing it sent may start one now.
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (isBinary) return this.handleFrame(data);
    if (data.byteLength > MAX_JSON_TEXT_BYTES) {
      const detail = `The text message has ${data.byteLength} bytes; the limit is ${MAX_JSON_TEXT_BYTES}.`;
      return this.answerProblem(null, 'MESSAGE_TOO_LARGE', detail);
    }
    const parsed = parseClientMessage(data.toString('utf8'));
    if (!parsed.ok) return this.answerProblem(parsed.requestId, parsed.code, parsed.detail);
    const { message } = parsed;
    return this.answer(message).catch((error: unknown) => this.internalError(message.id, error));
  }

  private async answer(message: ClientMessage): Promise<void> {
    switch (this.phase) {
      case 'greeting':
        return message.type === 'hello' ? this.greet(message) : this.refuse(message.id, 'HELLO_REQUIRED', undefined, CLOSE_CODES.policyViolation);
      case 'unauthenticated':
        if (message.type === 'auth') return this.authenticate(message);
        if (message.type === 'pair') return this.pair(message);
        return this.refuse(message.id, 'AUTH_REQUIRED', undefined, CLOSE_CODES.policyViolation);
      case 'ready':
        return this.dispatch(message);
      default:
        return assertNever(this.phase);
    }
  }

  /** Before authentication a bad message ends the connection; after it, the client may correct itself. */
  private answerProblem(replyTo: number | null, code: ErrorCode, detail: string): void {
    if (this.phase === 'ready') this.output.send(errorMessage(replyTo, code, detail));
    else this.refuse(replyTo, code, detail, CLOSE_CODES.policyViolation);
  }

  private handleFrame(data: Buffer): void {
    if (this.phase !== 'ready') {
      return this.refuse(null, this.phase === 'greeting' ? 'HELLO_REQUIRED' : 'AUTH_REQUIRED', undefined, CLOSE_CODES.policyViolation);
    }
    const decoded = decodeFrame(data);
    if (!decoded.ok) return this.output.send(errorMessage(null, 'FRAME_INVALID', decoded.problem));
    const { frame } = decoded;
    if (frame.kind !== 'upload') {
      return this.output.send(errorMessage(frame.requestId, 'FRAME_INVALID', `Clients send frames of kind upload, not ${frame.kind}.`));
    }
    this.services.jobs.acceptFrame(this, frame);
  }

  private greet(message: HelloMessage): void {
    const version = negotiateProtocolVersion(message.protocol.min, message.protocol.max);
    if (version === null) {
      const detail = `The client speaks versions ${message.protocol.min}..${message.protocol.max}, the companion ${MIN_PROTOCOL_VERSION}..${PROTOCOL_VERSION}.`;
      return this.refuse(message.id, 'PROTOCOL_VERSION_UNSUPPORTED', detail, CLOSE_CODES.protocolError);
    }
    this.phase = 'unauthenticated';
    this.services.logger.info(`client ${this.clientId}: hello from ${message.client.name} ${message.client.version ?? ''}`.trimEnd());
    this.output.send({ type: 'welcome', replyTo: message.id, protocolVersion: version, server: this.services.serverName });
  }

  private async authenticate(message: AuthMessage): Promise<void> {
    const check = await this.services.tokens.check(message.token);
    switch (check.status) {
      case 'unknown':
        return this.refuse(message.id, 'AUTH_TOKEN_INVALID', undefined, CLOSE_CODES.policyViolation);
      case 'revoked':
        return this.refuse(message.id, 'AUTH_TOKEN_REVOKED', `Token ${check.tokenId} was revoked.`, CLOSE_CODES.policyViolation);
      case 'valid':
        this.becomeReady(check.tokenId, `token ${check.tokenId}`);
        return this.output.send({ type: 'authenticated', replyTo: message.id, tokenId: check.tokenId });
      default:
        return assertNever(check);
    }
  }

  private async pair(message: PairMessage): Promise<void> {
    const outcome = this.services.pairing.check(message.code, this.pairingBudget);
    switch (outcome) {
      case 'accepted': {
        const { token, tokenId } = await this.services.tokens.issue(message.clientName);
        this.becomeReady(tokenId, `new token ${tokenId} for ${message.clientName}`);
        return this.output.send({ type: 'paired', replyTo: message.id, token, tokenId });
      }
      case 'rate-limited':
        return this.refuse(message.id, 'PAIRING_RATE_LIMITED', 'The companion is refusing pairing codes for a minute.', CLOSE_CODES.policyViolation);
      case 'expired':
        return this.output.send(errorMessage(message.id, 'PAIRING_CODE_EXPIRED'));
      case 'wrong':
        this.wrongPairingCodes += 1;
        if (this.wrongPairingCodes >= MAX_PAIRING_ATTEMPTS_PER_CONNECTION) {
          const detail = `${this.wrongPairingCodes} wrong pairing codes on this connection.`;
          return this.refuse(message.id, 'PAIRING_RATE_LIMITED', detail, CLOSE_CODES.policyViolation);
        }
        return this.output.send(errorMessage(message.id, 'PAIRING_CODE_INVALID'));
      default:
        return assertNever(outcome);
    }
  }

  private becomeReady(tokenId: string, who: string): void {
    this.phase = 'ready';
    this.tokenId = tokenId;
    this.services.logger.info(`client ${this.clientId}: authenticated with ${who}`);
  }

  private async dispatch(message: ClientMessage): Promise<void> {
    const { jobs } = this.services;
    switch (message.type) {
      case 'hello':
      case 'auth':
      case 'pair':
        return this.output.send(errorMessage(message.id, 'MESSAGE_INVALID', `"${message.type}" belongs to the handshake, which this connection has finished.`));
      case 'ping':
        return this.output.send({ type: 'pong', replyTo: message.id, serverTime: Date.now() });
      case 'get-info':
        return this.output.send(this.services.serverInfo(message.id));
      case 'list-models':
        return this.output.send(await this.services.listModels(message.id));
      case 'switch-model':
        // Not awaited: loading a model takes a while and pings must keep being answered.
        void this.services.switchModel(message.id, message.modelId).then(this.output.send, (error: unknown) => this.internalError(message.id, error));
        return;
      case 'generate':
      case 'brush':
        return jobs.submit(this, message);
      case 'cancel':
        return jobs.cancel(this, message);
      default:
        return assertNever(message);
    }
  }

  private sendRaw(data: string | Uint8Array): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(data);
  }
}
