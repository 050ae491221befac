import { EmailThrottle } from '../../../src/contexts/auth/application/email-throttle.js';
import { EmailTokenIssuer } from '../../../src/contexts/auth/application/email-token-issuer.js';
import { EmailTokenSpender } from '../../../src/contexts/auth/application/email-token-spender.js';
import { AesGcmSealer, newEncryptionKey } from '../../../src/platform/crypto/aes-gcm-sealer.js';
import { FakeRefreshTokens } from './fake-tokens.js';
import { FixedClock, SequentialIds } from './fixed-clock.js';
import { InMemoryCredentialsReader } from './in-memory-credentials-reader.js';
import { InMemoryEmailTokenUnitOfWork, RecordingEmailWriter } from './in-memory-email-tokens.js';
import { InMemoryRateLimiter } from './in-memory-rate-limiter.js';

/**
 * The mailed tokens' graph in memory: issuer, spender and throttle (2 mails per address, 3 per IP
 * an hour) over one unit of work, readable tokens (`<prefix>_xxxx…_<n>`, the shape the spender
 * accepts), and `plain(n)`: the token the n-th event carries, unsealed.
 */
export function emailTokensFixture(prefix = 'tok') {
  const uow = new InMemoryEmailTokenUnitOfWork();
  const tokens = new FakeRefreshTokens();
  let n = 0;
  tokens.issue = function () {
    n += 1;
    const token = `${prefix}_${'x'.repeat(20)}_${n}`;
    return { token, hash: this.digest(token) };
  };
  const sealer = new AesGcmSealer([Buffer.from(newEncryptionKey(), 'base64')]);
  const clock = new FixedClock();
  const limiter = new InMemoryRateLimiter();
  return {
    uow,
    tokens,
    sealer,
    clock,
    limiter,
    issuer: new EmailTokenIssuer({ uow, tokens, sealer, ids: new SequentialIds(), clock }),
    spender: new EmailTokenSpender(uow, tokens, clock),
    credentials: new InMemoryCredentialsReader(),
    throttle: new EmailThrottle(limiter, { perAddressPerHour: 2, perIpPerHour: 3 }, clock),
    writer: new RecordingEmailWriter(),
    plain: (nth: number) => sealer.unseal(String(uow.outbox.events[nth - 1]!.data.sealedToken)),
  };
}
