import { AesGcmSealer } from '../platform/crypto/aes-gcm-sealer.js';
import { resolveEncryptionKeys } from '../platform/crypto/encryption-keys.js';
import type { Logger } from '../platform/logging/logger.js';
import type { Config } from './config/config.js';

/** The sealer of this process, from ENCRYPTION_KEYS or the default it falls back on (logged). */
export function sealerFor(config: Config, logger: Logger): AesGcmSealer {
  const { keys, origin } = resolveEncryptionKeys({
    configured: config.encryptionKeys,
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
  });
  if (origin === 'derived') {
    logger.warn(
      'ENCRYPTION_KEYS is unset: tokens in the outbox are sealed with a key derived from DATABASE_URL; set ENCRYPTION_KEYS in production',
    );
  } else if (origin !== 'ENCRYPTION_KEYS') {
    logger.info({ keys: origin }, 'sealing key: ENCRYPTION_KEYS is unset, using the embedded default');
  }
  return new AesGcmSealer(keys);
}
