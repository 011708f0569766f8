/**
 * The companion's WebSocket server: HTTP upgrade checks (web-page Origins, connection count), the
 * connections, the engine and its job queue, model switching, and a clean shutdown.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { SCHEDULER_KINDS } from '../engine/schedulers/scheduler';
import { silentLogger, type Logger } from '../config/logger';
import { isLoopbackHost } from '../config/settings';
import {
  ERROR_CODES,
  MAX_CONNECTIONS,
  MAX_FRAME_BYTES,
  NOISE_MODES,
  PROTOCOL_LIMITS,
  PROTOCOL_VERSION,
  HANDSHAKE_TIMEOUT_MS,
  HEARTBEAT_INTERVAL_MS,
  type ErrorCode,
  type ServerMessage,
} from '../protocol';
import { ClientConnection, CLOSE_CODES, type ConnectionServices } from './client-connection';
import type { OpenEngine } from './engine-port';
import { EngineSlot } from './engine-slot';
import { errorMessage } from './errors';
import { JobService } from './job-service';
import { PairingCodes, type PairingOptions } from './pairing';
import { TokenStore } from './token-store';
import { isWebPageOrigin, pairingBudgetFor, type PairingBudget } from './origin-policy';

/** The HTTP header that carries the error code when an upgrade is refused. */
export const REFUSAL_HEADER = 'X-Diffusion-Brush-Error';
/** How long clients get to answer the closing handshake at shutdown. */
const SHUTDOWN_GRACE_MS = 1000;

export interface CompanionServerOptions {
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Required to bind to anything but loopback: the companion has no TLS. */
  allowNonLoopback?: boolean;
  modelDir: string;
  openEngine: OpenEngine;
  /** The config file that holds token hashes. */
  configFile: string;
  logger?: Logger;
  pairing?: PairingOptions;
  serverVersion?: string;
  /** Tests shorten these; clients are told HANDSHAKE_TIMEOUT_MS and HEARTBEAT_INTERVAL_MS. */
  handshakeTimeoutMs?: number;
  heartbeatIntervalMs?: number;
}

export class CompanionServer {
  readonly tokens: TokenStore;
  private readonly connections = new Set<ClientConnection>();
  private nextClientId = 1;
  private shuttingDown: Promise<void> | null = null;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly jobs: JobService;
  private readonly pairing: PairingCodes;
  private readonly services: ConnectionServices;
  private readonly handshakeTimeoutMs: number;
  private readonly heartbeat: NodeJS.Timeout;

  private constructor(
    private readonly engines: EngineSlot,
    options: CompanionServerOptions,
  ) {
    const logger = options.logger ?? silentLogger;
    this.jobs = new JobService(engines, logger);
    this.tokens = new TokenStore(options.configFile);
    this.pairing = new PairingCodes(options.pairing);
    this.services = {
      logger,
      tokens: this.tokens,
      pairing: this.pairing,
      jobs: this.jobs,
      serverName: { name: 'diffusion-brush-companion', version: options.serverVersion ?? '0.0.0' },
      serverInfo: (replyTo) => this.serverInfo(replyTo),
      listModels: (replyTo) => this.listModels(replyTo),
      switchModel: (replyTo, modelId) => this.switchModel(replyTo, modelId),
    };
    this.http = createServer((_request, response) => {
      response.writeHead(426, { 'Content-Type': 'text/plain' }).end('The Diffusion Brush companion speaks WebSocket only; see docs/protocol.md.\n');
    });
    this.http.on('upgrade', (request, socket, head) => this.upgrade(request, socket, head));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS;
    this.heartbeat = setInterval(() => {
      this.connections.forEach((connection) => connection.checkAlive());
      void this.closeRevoked();
    }, options.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS);
    this.heartbeat.unref();
  }

  /** Loads the model, then listens. */
  static async start(options: CompanionServerOptions): Promise<CompanionServer> {
    const host = options.host ?? '127.0.0.1';
    if (!isLoopbackHost(host) && options.allowNonLoopback !== true) {
      throw new Error(`Refusing to listen on ${host}: other machines could reach the companion. Use 127.0.0.1, or pass --allow-remote if you mean it.`);
    }
    const engines = await EngineSlot.open(options.modelDir, options.openEngine);
    const server = new CompanionServer(engines, options);
    try {
      await new Promise<void>((resolve, reject) => {
        server.http.once('error', reject);
        server.http.listen(options.port, host, () => resolve());
      });
    } catch (error) {
      clearInterval(server.heartbeat);
      await engines.close();
      throw error;
    }
    return server;
  }

  get address(): { host: string; port: number } {
    const { address, port } = this.http.address() as AddressInfo;
    return { host: address, port };
  }

  /** The code to show the user now. */
  pairingCode(): { code: string; expiresAt: number } {
    return this.pairing.current();
  }

  get engine(): EngineSlot {
    return this.engines;
  }

  /** Cancels every job (clients are told), says goodbye, closes the engine. Safe to call twice. */
  close(message = 'The companion is shutting down.'): Promise<void> {
    this.shuttingDown ??= (async () => {
      // Stops accepting; resolves once every connection, upgraded ones included, has ended.
      const httpClosed = new Promise<void>((resolve) => this.http.close(() => resolve()));
      clearInterval(this.heartbeat);
      await this.jobs.cancelAll('shutdown');
      for (const connection of this.connections) {
        connection.output.send({ type: 'shutdown', message });
        connection.close(CLOSE_CODES.goingAway, 'SHUTTING_DOWN');
      }
      // A client that does not answer the closing handshake is cut off instead of holding the exit.
      const cutOff = setTimeout(() => this.wss.clients.forEach((ws) => ws.terminate()), SHUTDOWN_GRACE_MS);
      await this.engines.close();
      await httpClosed;
      clearTimeout(cutOff);
      this.wss.close();
    })();
    return this.shuttingDown;
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    if (this.shuttingDown !== null) return refuseUpgrade(socket, 503, 'SHUTTING_DOWN');
    if (isWebPageOrigin(request.headers.origin)) return refuseUpgrade(socket, 403, 'ORIGIN_REFUSED');
    if (this.connections.size >= MAX_CONNECTIONS) return refuseUpgrade(socket, 503, 'TOO_MANY_CONNECTIONS');
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, pairingBudgetFor(request.headers.origin)));
  }

  private accept(ws: WebSocket, pairingBudget: PairingBudget): void {
    const connection = new ClientConnection(this.nextClientId++, ws, this.services, pairingBudget);
    const { logger } = this.services;
    this.connections.add(connection);
    const handshakeTimer = setTimeout(() => {
      if (!connection.isReady) connection.refuse(null, 'HANDSHAKE_TIMEOUT', undefined, CLOSE_CODES.policyViolation);
    }, this.handshakeTimeoutMs);
    ws.on('message', (data, isBinary) => connection.receive(data as Buffer, isBinary));
    // ws reports protocol violations (bad opcodes, a message over maxPayload) here and closes the socket itself.
    ws.on('error', (error) => logger.warn(`client ${connection.clientId}: ${error.message}`));
    ws.on('close', (code) => {
      clearTimeout(handshakeTimer);
      this.connections.delete(connection);
      this.jobs.dropClient(connection.clientId);
      logger.info(`client ${connection.clientId}: disconnected (${code})`);
    });
  }

  /** `tokens revoke` runs in another process and only edits the config file: connections open with a revoked token end here. */
  private async closeRevoked(): Promise<void> {
    const tokens = await this.tokens.list().catch((error: unknown) => {
      this.services.logger.warn(`Cannot read the config file to check for revoked tokens: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    });
    const revoked = new Set(tokens.filter((token) => token.revokedAt !== undefined).map((token) => token.id));
    for (const connection of this.connections) {
      if (connection.tokenId !== null && revoked.has(connection.tokenId)) {
        connection.refuse(null, 'AUTH_TOKEN_REVOKED', `Token ${connection.tokenId} was revoked while connected.`, CLOSE_CODES.policyViolation);
      }
    }
  }

  private serverInfo(replyTo: number | null): ServerMessage {
    const engine = this.engines.current;
    return {
      type: 'server-info',
      replyTo,
      protocolVersion: PROTOCOL_VERSION,
      model: engine.model,
      provider: engine.provider,
      capabilities: { jobs: [...engine.jobs], schedulers: [...SCHEDULER_KINDS], noiseModes: [...NOISE_MODES], previews: true },
      limits: { ...PROTOCOL_LIMITS },
    };
  }

  private async listModels(replyTo: number): Promise<ServerMessage> {
    const active = this.engines.activeModelId;
    const models = await this.engines.listModels();
    return { type: 'models', replyTo, models: models.map((model) => ({ id: model.id, active: model.id === active })) };
  }

  private async switchModel(replyTo: number, modelId: string): Promise<ServerMessage> {
    const model = (await this.engines.listModels()).find((candidate) => candidate.id === modelId);
    if (model === undefined) return errorMessage(replyTo, 'MODEL_NOT_FOUND', `There is no model "${modelId}".`);
    if (this.jobs.engineBusy || this.engines.isSwitching) {
      return errorMessage(replyTo, 'MODEL_BUSY', `The engine for ${this.engines.activeModelId} has work in progress.`);
    }
    try {
      await this.engines.switchTo(model);
    } catch (error) {
      return errorMessage(replyTo, 'MODEL_LOAD_FAILED', `Loading ${model.dir} failed: ${error instanceof Error ? error.message : String(error)}.`);
    }
    this.services.logger.info(`switched to model ${model.id}`);
    for (const connection of this.connections) {
      if (connection.isReady) connection.output.send(this.serverInfo(null));
    }
    return this.serverInfo(replyTo);
  }
}

/** Answers the upgrade request with a plain HTTP error; the code travels in a header and the body. */
function refuseUpgrade(socket: Duplex, status: number, code: ErrorCode): void {
  const body = `${code}: ${ERROR_CODES[code]}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : 'Service Unavailable'}\r\n` +
      `${REFUSAL_HEADER}: ${code}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
