import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AesGcmSealer,
  newEncryptionKey,
  parseEncryptionKeys,
  UnsealError,
} from '../../../src/platform/crypto/aes-gcm-sealer.js';
import { KEY_FILE, resolveEncryptionKeys } from '../../../src/platform/crypto/encryption-keys.js';

const key = () => Buffer.from(newEncryptionKey(), 'base64');

describe('AesGcmSealer (AES-256-GCM, a rotatable key ring)', () => {
  it('opens what it sealed, and the box shows nothing of the plaintext', () => {
    const sealer = new AesGcmSealer([key()]);
    const box = sealer.seal('the-token-4f9a');
    expect(box).not.toContain('the-token');
    expect(box.split('.')).toHaveLength(5);
    expect(sealer.unseal(box)).toBe('the-token-4f9a');
  });

  it('seals the same plaintext differently each time (a fresh IV)', () => {
    const sealer = new AesGcmSealer([key()]);
    expect(sealer.seal('x')).not.toBe(sealer.seal('x'));
  });

  it('refuses a box altered anywhere: ciphertext, tag, IV or the key id it is bound to', () => {
    const sealer = new AesGcmSealer([key()]);
    const parts = sealer.seal('secret value').split('.');
    for (const index of [2, 3, 4]) {
      const altered = [...parts];
      const bytes = Buffer.from(altered[index]!, 'base64url');
      bytes[0] = bytes[0]! ^ 1;
      altered[index] = bytes.toString('base64url');
      expect(() => sealer.unseal(altered.join('.'))).toThrow(UnsealError);
    }
    expect(() => sealer.unseal(['v1', 'AAAAAAAA', ...parts.slice(2)].join('.'))).toThrow(/not in ENCRYPTION_KEYS/);
    expect(() => sealer.unseal('plain-token')).toThrow(UnsealError);
    expect(() => sealer.unseal(['v2', ...parts.slice(1)].join('.'))).toThrow(UnsealError);
  });

  it('rotates: the first key seals, every key of the ring opens, a dropped key no longer does', () => {
    const [oldKey, newKey] = [key(), key()];
    const before = new AesGcmSealer([oldKey]);
    const during = new AesGcmSealer([newKey, oldKey]);
    const after = new AesGcmSealer([newKey]);
    const oldBox = before.seal('sealed before the rotation');
    expect(during.unseal(oldBox)).toBe('sealed before the rotation');
    const newBox = during.seal('sealed during');
    expect(after.unseal(newBox)).toBe('sealed during');
    expect(() => after.unseal(oldBox)).toThrow(UnsealError);
  });

  it('needs at least one key of 32 bytes', () => {
    expect(() => new AesGcmSealer([])).toThrow();
    expect(() => new AesGcmSealer([Buffer.alloc(16)])).toThrow(/32 bytes/);
  });
});

describe('ENCRYPTION_KEYS', () => {
  it('reads base64 keys of 32 bytes, comma-separated, in order', () => {
    const [a, b] = [newEncryptionKey(), newEncryptionKey()];
    const parsed = parseEncryptionKeys(`${a}, ${b}`);
    expect('keys' in parsed && parsed.keys.map((k) => k.toString('base64'))).toEqual([a, b]);
  });

  it('names the bad entry without echoing it', () => {
    const parsed = parseEncryptionKeys(`${newEncryptionKey()},c2hvcnQ=`);
    expect(parsed).toEqual({ problem: 'key 2 must be 32 bytes in base64 (openssl rand -base64 32)' });
    expect(parseEncryptionKeys('not base64 at all!')).toHaveProperty('problem');
  });
});

describe('the sealing keys when ENCRYPTION_KEYS is unset', () => {
  it('uses ENCRYPTION_KEYS when set', () => {
    const keys = [key()];
    expect(resolveEncryptionKeys({ configured: keys, dataDir: 'x', databaseUrl: null })).toEqual({
      keys,
      origin: 'ENCRYPTION_KEYS',
    });
  });

  it('embedded: generates a key once in DATA_DIR, owner-readable only, and reads it back at every start', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'portico-keys-')), 'data');
    const first = resolveEncryptionKeys({ configured: null, dataDir, databaseUrl: null });
    const second = resolveEncryptionKeys({ configured: null, dataDir, databaseUrl: null });
    expect(first.origin).toBe('data-dir');
    expect(second.keys[0]!.equals(first.keys[0]!)).toBe(true);
    expect(readFileSync(join(dataDir, KEY_FILE), 'utf8').trim()).toBe(first.keys[0]!.toString('base64'));
    expect(statSync(join(dataDir, KEY_FILE)).mode & 0o777).toBe(0o600);
  });

  it('PostgreSQL: every role derives the same key from DATABASE_URL; another database, another key', () => {
    const url = 'postgres://portico@db:5432/portico';
    const a = resolveEncryptionKeys({ configured: null, dataDir: '.data', databaseUrl: url });
    const b = resolveEncryptionKeys({ configured: null, dataDir: '', databaseUrl: url });
    const other = resolveEncryptionKeys({ configured: null, dataDir: '', databaseUrl: `${url}2` });
    expect(a.origin).toBe('derived');
    expect(a.keys[0]!.equals(b.keys[0]!)).toBe(true);
    expect(a.keys[0]!.equals(other.keys[0]!)).toBe(false);
  });

  it('an in-memory database: a key for this process only', () => {
    const resolved = resolveEncryptionKeys({ configured: null, dataDir: '', databaseUrl: null });
    expect(resolved.origin).toBe('ephemeral');
    expect(resolved.keys[0]).toHaveLength(32);
  });
});
