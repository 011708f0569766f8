/**
 * Protocol versioning. A version number changes only for incompatible changes (a field removed or
 * its meaning changed, a frame layout change). Additive changes (a new optional field, a new message
 * type, a new error code) keep the version: receivers ignore fields they do not know.
 */

/** The version this build speaks best. */
export const PROTOCOL_VERSION = 1;
/** The oldest version this build still speaks. */
export const MIN_PROTOCOL_VERSION = 1;

/**
 * The version two peers use: the highest one both speak, or null when their ranges do not overlap.
 */
export function negotiateProtocolVersion(clientMin: number, clientMax: number): number | null {
  const version = Math.min(clientMax, PROTOCOL_VERSION);
  return version >= Math.max(clientMin, MIN_PROTOCOL_VERSION) ? version : null;
}
