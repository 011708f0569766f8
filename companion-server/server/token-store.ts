/**
 * Tokens of paired clients. A token is 32 random bytes (base64url); only its sha256 is stored, in the
 * config file, so a leaked config file does not let anyone in. sha256 without salt suffices: the
 * tokens are random, so there is nothing to guess from a hash.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createConfigUpdater, readConfig, type StoredToken } from '../config/config-file';

const TOKEN_PREFIX = 'dbt_';

export type TokenCheck = { status: 'valid'; tokenId: string } | { status: 'revoked'; tokenId: string } | { status: 'unknown' };

export interface IssuedToken {
  token: string;
  tokenId: string;
}

export class TokenStore {
  private readonly update: ReturnType<typeof createConfigUpdater>;

  constructor(private readonly configFile: string) {
    this.update = createConfigUpdater(configFile);
  }

  async issue(clientName: string): Promise<IssuedToken> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const tokenId = randomBytes(4).toString('hex');
    await this.update((config) => {
      config.tokens.push({ id: tokenId, name: clientName, hash: hashToken(token), createdAt: new Date().toISOString() });
    });
    return { token, tokenId };
  }

  async check(token: string): Promise<TokenCheck> {
    const hash = Buffer.from(hashToken(token), 'hex');
    const { tokens } = await readConfig(this.configFile);
    const match = tokens.find((stored) => {
      const storedHash = Buffer.from(stored.hash, 'hex');
      return storedHash.length === hash.length && timingSafeEqual(storedHash, hash);
    });
    if (match === undefined) return { status: 'unknown' };
    return { status: match.revokedAt === undefined ? 'valid' : 'revoked', tokenId: match.id };
  }

  async list(): Promise<StoredToken[]> {
    return (await readConfig(this.configFile)).tokens;
  }

  /** Marks the token revoked (kept, so its client is told it was revoked rather than unknown). False if no such id. */
  async revoke(tokenId: string): Promise<boolean> {
    let found = false;
    await this.update((config) => {
      const stored = config.tokens.find((candidate) => candidate.id === tokenId);
      if (stored !== undefined) {
        found = true;
        stored.revokedAt ??= new Date().toISOString();
      }
    });
    return found;
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
