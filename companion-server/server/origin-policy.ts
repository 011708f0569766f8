/**
 * Web pages may open WebSockets to localhost; browsers always send their page's Origin with the
 * upgrade request. The Photoshop panel and local tools send none (or a non-web scheme), so any
 * http(s) Origin means a web page and is refused before the WebSocket exists.
 */
export function isWebPageOrigin(origin: string | undefined): boolean {
  return origin !== undefined && /^https?:/i.test(origin.trim());
}

/**
 * Which budget of wrong pairing codes a connection draws from. Browsers send `Origin: null` for pages
 * opened from a file and for sandboxed frames, so such a page gets past the check above; clients that
 * send an Origin guess from a budget of their own, so a page cannot use up the one a panel that sends
 * none needs to pair.
 */
export type PairingBudget = 'without-origin' | 'with-origin';

export function pairingBudgetFor(origin: string | undefined): PairingBudget {
  return origin === undefined ? 'without-origin' : 'with-origin';
}
