import { hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newEncryptionKey, parseEncryptionKeys } from './aes-gcm-sealer.js';

export const KEY_FILE = 'encryption.key';

export interface KeySource {
  /** ENCRYPTION_KEYS as configured (already checked), or null. */
  readonly configured: readonly Buffer[] | null;
  readonly dataDir: string;
  readonly databaseUrl: string | null;
}

export interface ResolvedKeys {
  readonly keys: readonly Buffer[];
  /** Where the keys came from, for the start-up log. */
  readonly origin: 'ENCRYPTION_KEYS' | 'data-dir' | 'derived' | 'ephemeral';
}

/**
 * The sealing keys. ENCRYPTION_KEYS wins. Unset, the embedded database keeps a key generated once
 * in its data directory (beside the data it protects, readable by the owner only); an in-memory
 * database gets a key for this process only; on PostgreSQL, where roles run in separate processes
 * with nothing but the configuration in common, every role derives the same key from DATABASE_URL:
 * good enough to keep tokens out of plain sight in development, and logged as a warning, because
 * whoever reads the configuration can open the boxes. Production sets ENCRYPTION_KEYS.
 */
export function resolveEncryptionKeys(source: KeySource): ResolvedKeys {
  if (source.configured && source.configured.length > 0) return { keys: source.configured, origin: 'ENCRYPTION_KEYS' };
  if (source.databaseUrl) {
    const derived = hkdfSync('sha256', source.databaseUrl, 'portico', 'portico sealing key v1', 32);
    return { keys: [Buffer.from(derived)], origin: 'derived' };
  }
  if (source.dataDir === '') return { keys: [randomBytes(32)], origin: 'ephemeral' };
  return { keys: [dataDirKey(source.dataDir)], origin: 'data-dir' };
}

function dataDirKey(dataDir: string): Buffer {
  const file = join(dataDir, KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    // `wx`: two processes racing to create it cannot both win; the loser reads the winner's key.
    try {
      writeFileSync(file, `${newEncryptionKey()}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const parsed = parseEncryptionKeys(readFileSync(file, 'utf8').trim());
  if ('problem' in parsed) throw new Error(`${file}: ${parsed.problem}`);
  return parsed.keys[0]!;
}
