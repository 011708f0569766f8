/**
 * The pairing code: a short number the companion prints, which a client exchanges once for a token.
 * It expires, is replaced after each successful pairing, and wrong guesses are limited per connection
 * and across all connections (with and without an Origin separately). Nine digits because a page opened from a file (Origin: null) can reach
 * the handshake: at the global limit such a page has about 1 chance in 70,000 a day.
 */
import { randomInt } from 'node:crypto';
import {
  MAX_PAIRING_ATTEMPTS_GLOBAL,
  PAIRING_CODE_DIGITS,
  PAIRING_CODE_LIFETIME_MS,
  PAIRING_WINDOW_MS,
} from '../protocol/limits';
import type { PairingBudget } from './origin-policy';
import { SlidingWindowLimiter } from './rate-limiter';

export type PairingCheck = 'accepted' | 'wrong' | 'expired' | 'rate-limited';

export interface PairingOptions {
  lifetimeMs?: number;
  now?: () => number;
  /** Called with every new code (at start, after expiry, after use) so the user can see it. */
  onNewCode?: (code: string, expiresAt: number) => void;
}

export class PairingCodes {
  private code = '';
  private expiresAt = 0;
  private readonly wrongGuesses = new Map<PairingBudget, SlidingWindowLimiter>();
  private readonly lifetimeMs: number;
  private readonly now: () => number;

  constructor(private readonly options: PairingOptions = {}) {
    this.lifetimeMs = options.lifetimeMs ?? PAIRING_CODE_LIFETIME_MS;
    this.now = options.now ?? Date.now;
    this.renew();
  }

  /** The code to show now (renewed first if it has expired). */
  current(): { code: string; expiresAt: number } {
    if (this.now() >= this.expiresAt) this.renew();
    return { code: this.code, expiresAt: this.expiresAt };
  }

  /** Wrong guesses count against `budget` across all connections that draw from it. */
  check(candidate: string, budget: PairingBudget): PairingCheck {
    const wrongGuesses = this.limiterFor(budget);
    if (wrongGuesses.isExhausted()) return 'rate-limited';
    if (this.now() >= this.expiresAt) {
      // The old code is no longer accepted; a new one is printed for the user to type.
      this.renew();
      return 'expired';
    }
    if (normalise(candidate) !== this.code) {
      wrongGuesses.record();
      return 'wrong';
    }
    this.renew();
    return 'accepted';
  }

  private limiterFor(budget: PairingBudget): SlidingWindowLimiter {
    let limiter = this.wrongGuesses.get(budget);
    if (!limiter) {
      limiter = new SlidingWindowLimiter(MAX_PAIRING_ATTEMPTS_GLOBAL, PAIRING_WINDOW_MS, this.now);
      this.wrongGuesses.set(budget, limiter);
    }
    return limiter;
  }

  private renew(): void {
    this.code = String(randomInt(0, 10 ** PAIRING_CODE_DIGITS)).padStart(PAIRING_CODE_DIGITS, '0');
    this.expiresAt = this.now() + this.lifetimeMs;
    this.options.onNewCode?.(this.code, this.expiresAt);
  }
}

/** People type "123 456" or "123-456". */
function normalise(candidate: string): string {
  return candidate.replace(/[\s-]/g, '');
}
