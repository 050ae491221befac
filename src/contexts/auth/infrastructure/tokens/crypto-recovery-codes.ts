import { createHash, randomBytes } from 'node:crypto';
import type { RecoveryCodeFactory } from '../../application/mfa-ports.js';

/** Crockford-style base32 without look-alikes (no i, l, o, u): easy to read off and type. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * Recovery codes: 16 base32 characters (80 random bits), shown as `xxxx-xxxx-xxxx-xxxx`. They are
 * stored as a plain SHA-256 digest: unlike passwords they are random with 80 bits of entropy, so a
 * stolen digest cannot be reversed by guessing (2^80 tries), and a slow hash (argon2) would only
 * make every sign-in with one cost more while protecting nothing more. A fast digest also lets
 * the code be looked up by its digest.
 */
export class CryptoRecoveryCodes implements RecoveryCodeFactory {
  issue(count: number): { codes: string[]; hashes: string[] } {
    const codes = Array.from({ length: count }, () => newCode());
    return { codes, hashes: codes.map((code) => this.digest(code)) };
  }

  digest(code: string): string {
    return createHash('sha256').update(normalize(code)).digest('hex');
  }
}

function newCode(): string {
  // 10 bytes = 80 bits = 16 characters of 5 bits.
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let text = '';
  for (let i = 0; i < 16; i += 1) text = ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)]! + text;
  return text.match(/.{4}/g)!.join('-');
}

/** What the user typed, as it was issued: hyphens and spaces dropped, lower case. */
function normalize(code: string): string {
  return code.replace(/[\s-]/g, '').toLowerCase();
}
