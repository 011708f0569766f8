/**
 * Every limit of the protocol, named once. The server reports them in `server-info` so clients can
 * check a request before sending it.
 */

/** The companion's default TCP port on 127.0.0.1. */
export const DEFAULT_PORT = 47300;

/** Longest side of any image crossing the wire: a 4096x4096 crop must fit. */
export const MAX_IMAGE_SIDE = 4096;
/** Bytes of the fixed header in front of every binary frame's pixels. */
export const FRAME_HEADER_BYTES = 24;
/** The largest binary frame: a 4096x4096 RGBA image plus its header. */
export const MAX_FRAME_BYTES = FRAME_HEADER_BYTES + MAX_IMAGE_SIDE * MAX_IMAGE_SIDE * 4;
/** The largest JSON text message, in bytes of UTF-8. Control messages are small; pixels never travel as JSON. */
export const MAX_JSON_TEXT_BYTES = 256 * 1024;

/** Jobs (queued or running, or waiting for their images) one connection may have at once. */
export const MAX_QUEUED_JOBS_PER_CLIENT = 8;
/** Jobs all connections together may have at once. */
export const MAX_QUEUED_JOBS_TOTAL = 32;
/** Image bytes the unfinished jobs of one connection may hold. */
export const MAX_UPLOAD_BYTES_PER_CLIENT = 512 * 1024 * 1024;
/** Simultaneous connections. */
export const MAX_CONNECTIONS = 16;

/** Masks in one brush request. */
export const MAX_MASKS = 8;
/** Variations (seeds) in one brush request. */
export const MAX_VARIATIONS = 8;
/** Denoising steps N. */
export const MAX_STEPS = 150;
/** Characters of a prompt (CLIP sees 77 tokens; this only bounds memory). */
export const MAX_PROMPT_CHARS = 4000;
/** Classifier-free guidance scale. */
export const MAX_GUIDANCE = 50;
/** Strength alpha of a mask's injected noise. */
export const MAX_STRENGTH = 10;
/** Grow, feather and context padding, in canvas pixels. */
export const MAX_MASK_PIXELS = 1024;
/** Longest side of the canvas a crop may come from (Photoshop's own limit). */
export const MAX_CANVAS_SIDE = 300000;

/** Milliseconds a new connection has to finish hello and auth (or pair). */
export const HANDSHAKE_TIMEOUT_MS = 10_000;
/** The companion sends a WebSocket ping this often; a connection that has not answered the previous one is ended. */
export const HEARTBEAT_INTERVAL_MS = 30_000;
/** Digits of the pairing code the companion shows. */
export const PAIRING_CODE_DIGITS = 9;
/** How long a pairing code stays valid. */
export const PAIRING_CODE_LIFETIME_MS = 10 * 60 * 1000;
/** Wrong pairing codes one connection may send before it is closed. */
export const MAX_PAIRING_ATTEMPTS_PER_CONNECTION = 3;
/** Wrong pairing codes all connections together may send in one PAIRING_WINDOW_MS. */
export const MAX_PAIRING_ATTEMPTS_GLOBAL = 10;
/** The window of the global pairing rate limit. */
export const PAIRING_WINDOW_MS = 60 * 1000;

/** Largest request id and image id (they travel as unsigned 32-bit integers in frame headers). */
export const MAX_ID = 0xffff_ffff;

/** The limits a server reports in `server-info`. */
export const PROTOCOL_LIMITS = {
  maxImageSide: MAX_IMAGE_SIDE,
  maxFrameBytes: MAX_FRAME_BYTES,
  maxJsonTextBytes: MAX_JSON_TEXT_BYTES,
  maxQueuedJobsPerClient: MAX_QUEUED_JOBS_PER_CLIENT,
  maxQueuedJobsTotal: MAX_QUEUED_JOBS_TOTAL,
  maxUploadBytesPerClient: MAX_UPLOAD_BYTES_PER_CLIENT,
  maxConnections: MAX_CONNECTIONS,
  maxMasks: MAX_MASKS,
  maxVariations: MAX_VARIATIONS,
  maxSteps: MAX_STEPS,
  maxPromptChars: MAX_PROMPT_CHARS,
  maxGuidance: MAX_GUIDANCE,
  maxStrength: MAX_STRENGTH,
  maxMaskPixels: MAX_MASK_PIXELS,
  handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
  heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
} as const;

export type ProtocolLimits = { readonly [K in keyof typeof PROTOCOL_LIMITS]: number };
