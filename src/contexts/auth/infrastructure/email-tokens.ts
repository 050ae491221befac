import type { PlatformServices } from '../../../platform/context/platform-services.js';
import { EmailThrottle } from '../application/email-throttle.js';
import { EmailTokenIssuer } from '../application/email-token-issuer.js';
import type { EmailLimits } from '../application/email-token-ports.js';
import { EmailTokenSpender } from '../application/email-token-spender.js';
import { PostgresEmailTokenUnitOfWork } from './persistence/postgres-email-token-unit-of-work.js';
import { CryptoRefreshTokens } from './tokens/crypto-refresh-tokens.js';

/** The mailed tokens' graph, for the API (requests and confirmations) and the worker (sign-ups). */
export function emailTokens(
  platform: PlatformServices,
  limits: EmailLimits = { perAddressPerHour: 0, perIpPerHour: 0 },
) {
  const { database, outbox, sealer, ids, clock, limiter } = platform;
  const uow = new PostgresEmailTokenUnitOfWork(database, outbox);
  // The same 256-bit, SHA-256-stored tokens as refresh tokens.
  const tokens = new CryptoRefreshTokens();
  return {
    issuer: new EmailTokenIssuer({ uow, tokens, sealer, ids, clock }),
    spender: new EmailTokenSpender(uow, tokens, clock),
    throttle: new EmailThrottle(limiter, limits, clock),
  };
}
