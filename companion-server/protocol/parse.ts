/**
 * Text frame -> validated message, for both directions. Never throws: a bad message becomes a
 * problem with a stable error code, and the request id when one could be read, so the answer can
 * name the request it refuses.
 */
import type { z } from 'zod';
import { clientMessageSchema, type ClientMessage } from './client-messages';
import type { ErrorCode } from './error-codes';
import { MAX_ID, MAX_JSON_TEXT_BYTES } from './limits';
import { serverMessageSchema, type ServerMessage } from './server-messages';

export interface MessageProblem {
  code: Extract<ErrorCode, 'MESSAGE_MALFORMED' | 'MESSAGE_INVALID' | 'MESSAGE_TOO_LARGE'>;
  /** A sentence naming what is wrong. */
  detail: string;
  /** The `id` of the message, when it had a readable one. */
  requestId: number | null;
}

export type ParseResult<M> = { ok: true; message: M } | ({ ok: false } & MessageProblem);

/** How many issues an error sentence lists before it stops. */
const MAX_ISSUES_REPORTED = 5;

export function parseClientMessage(text: string): ParseResult<ClientMessage> {
  return parseWith(clientMessageSchema, text);
}

export function parseServerMessage(text: string): ParseResult<ServerMessage> {
  return parseWith(serverMessageSchema, text);
}

function parseWith<M>(schema: z.ZodType<M>, text: string): ParseResult<M> {
  const bytes = utf8ByteLength(text);
  if (bytes > MAX_JSON_TEXT_BYTES) {
    return problem('MESSAGE_TOO_LARGE', `The message has ${bytes} bytes; the limit is ${MAX_JSON_TEXT_BYTES}.`, null);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return problem('MESSAGE_MALFORMED', `The text is not JSON (${(error as Error).message}).`, null);
  }
  const requestId = readRequestId(json);
  const result = schema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.slice(0, MAX_ISSUES_REPORTED).map((issue) => {
      const path = issue.path.length > 0 ? issue.path.join('.') : '(message)';
      return `${path}: ${issue.message}`;
    });
    return problem('MESSAGE_INVALID', `Invalid message: ${issues.join('; ')}.`, requestId);
  }
  return { ok: true, message: result.data };
}

function problem(code: MessageProblem['code'], detail: string, requestId: number | null): ParseResult<never> {
  return { ok: false, code, detail, requestId };
}

function readRequestId(json: unknown): number | null {
  if (typeof json !== 'object' || json === null || !('id' in json)) return null;
  const { id } = json;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 && id <= MAX_ID ? id : null;
}

/** UTF-8 length computed by hand: TextEncoder is missing in some UXP versions and Node APIs in every bundle. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (isHighSurrogate(unit) && isLowSurrogate(text.charCodeAt(i + 1))) {
      // A surrogate pair is one 4-byte code point.
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
