import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Sealer } from '../../shared/application/ports/sealer.js';

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;

/** The box could not be opened: altered, truncated, or sealed with a key no longer in the ring. */
export class UnsealError extends Error {
  override readonly name = 'UnsealError';
}

/**
 * AES-256-GCM with a key ring: the first key seals, every key opens, so a key is rotated by
 * putting a new one first and dropping the old one once nothing sealed with it is still alive.
 * A box is `v1.<key id>.<iv>.<ciphertext>.<tag>` (base64url); the key id is a digest prefix of the
 * key, never the key, so a box says which key opens it without a trial of each.
 */
export class AesGcmSealer implements Sealer {
  private readonly keys: readonly { id: string; key: Buffer }[];

  constructor(keys: readonly Buffer[]) {
    if (keys.length === 0) throw new Error('a sealer needs at least one key');
    for (const key of keys) if (key.length !== KEY_BYTES) throw new Error(`an encryption key is ${KEY_BYTES} bytes`);
    this.keys = keys.map((key) => ({ id: keyId(key), key }));
  }

  seal(plaintext: string): string {
    const { id, key } = this.keys[0]!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    // The version and key id are bound to the box: moving a ciphertext under another header fails.
    cipher.setAAD(Buffer.from(`${VERSION}.${id}`));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, id, b64(iv), b64(body), b64(cipher.getAuthTag())].join('.');
  }

  unseal(sealed: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION) throw new UnsealError('not a sealed value');
    const [, id, iv, body, tag] = parts as [string, string, string, string, string];
    const entry = this.keys.find((k) => k.id === id);
    if (!entry) throw new UnsealError('sealed with a key that is not in ENCRYPTION_KEYS');
    try {
      const decipher = createDecipheriv('aes-256-gcm', entry.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(`${VERSION}.${id}`));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new UnsealError('the sealed value was altered');
    }
  }
}

function keyId(key: Buffer): string {
  return createHash('sha256').update('portico-key-id').update(key).digest('base64url').slice(0, 8);
}

function b64(buffer: Buffer): string {
  return buffer.toString('base64url');
}

/** A new random key, as ENCRYPTION_KEYS spells it (base64, 32 bytes). */
export function newEncryptionKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

/** ENCRYPTION_KEYS: base64 keys of 32 bytes, comma-separated; a problem names the bad entry's position. */
export function parseEncryptionKeys(text: string): { keys: Buffer[] } | { problem: string } {
  const entries = text.split(',').map((entry) => entry.trim());
  const keys: Buffer[] = [];
  for (const [index, entry] of entries.entries()) {
    const key = Buffer.from(entry, 'base64');
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(entry) || key.length !== KEY_BYTES) {
      return { problem: `key ${index + 1} must be ${KEY_BYTES} bytes in base64 (openssl rand -base64 32)` };
    }
    keys.push(key);
  }
  return { keys };
}
