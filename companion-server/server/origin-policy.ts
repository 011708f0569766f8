/**
 * Web pages may open WebSockets to localhost; browsers always send their page's Origin with the
 * upgrade request. The Photoshop panel and local tools send none (or a non-web scheme), so any
 * http(s) Origin means a web page and is refused before the WebSocket exists.
 */
export function isWebPageOrigin(origin: string | undefined): boolean {
  return origin !== undefined && /^https?:/i.test(origin.trim());
}
