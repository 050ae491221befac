import { createHash, randomBytes } from 'node:crypto';
import type { RefreshTokenFactory } from '../../application/auth-ports.js';

/**
 * 256 random bits, base64url. A plain SHA-256 digest is enough to store them: unlike passwords,
 * they carry full entropy, so there is nothing to guess offline.
 */
export class CryptoRefreshTokens implements RefreshTokenFactory {
  issue(): { token: string; hash: string } {
    const token = randomBytes(32).toString('base64url');
    return { token, hash: this.digest(token) };
  }

  digest(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }
}
