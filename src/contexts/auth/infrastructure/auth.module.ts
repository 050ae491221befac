import type { Clock } from '../../../shared/application/ports/clock.js';
import type { IdGenerator } from '../../../shared/application/ports/id-generator.js';
import type { PasswordHasher } from '../../../shared/application/ports/password-hasher.js';
import type { EventOutbox } from '../../../shared/application/ports/unit-of-work.js';
import type { PasswordPolicy } from '../../../shared/domain/password-policy.js';
import type { Database } from '../../../platform/db/database.js';
import { PostgresRateLimiter } from '../../../platform/db/postgres-rate-limiter.js';
import type { Logger } from '../../../platform/logging/logger.js';
import {
  ChangePasswordHandler,
  type PasswordHashWriter,
} from '../application/change-password/change-password.handler.js';
import type { PasswordHashUpgrader } from '../application/auth-ports.js';
import { ListAuditEventsHandler } from '../application/list-audit-events/list-audit-events.handler.js';
import { LoginHandler } from '../application/login/login.handler.js';
import { OutboxAuditLogReader } from './persistence/outbox-audit-log-reader.js';
import { LogoutHandler } from '../application/logout/logout.handler.js';
import { RefreshHandler } from '../application/refresh/refresh.handler.js';
import { RevokeUserSessionsHandler } from '../application/revoke-user-sessions/revoke-user-sessions.handler.js';
import { DEFAULT_LOCKOUT } from '../domain/login-throttle.js';
import { BearerAccessPolicy } from './http/bearer-access-policy.js';
import { PostgresAuthUnitOfWork } from './persistence/postgres-auth-unit-of-work.js';
import { PostgresCredentialsReader } from './persistence/postgres-credentials-reader.js';
import { PostgresLoginAttempts } from './persistence/postgres-login-attempts.js';
import { PostgresSessionRepository } from './persistence/postgres-session-repository.js';
import { CryptoRefreshTokens } from './tokens/crypto-refresh-tokens.js';
import { JoseAccessTokens } from './tokens/jose-access-tokens.js';
import { RevokedSessionsCache } from './tokens/revoked-sessions-cache.js';
import { SigningKeyStore } from './tokens/signing-key-store.js';

export interface AuthSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly loginsPerIpPerMinute: number;
  readonly lockoutThreshold: number;
}

export interface AuthDeps {
  readonly database: Database;
  readonly outbox: EventOutbox;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  readonly hasher: PasswordHasher;
  readonly policy: PasswordPolicy;
  readonly passwordWriter: PasswordHashWriter;
  readonly upgrader: PasswordHashUpgrader;
  readonly logger: Logger;
}

/** The auth context's graph for the API role. */
export async function buildAuth(deps: AuthDeps, settings: AuthSettings) {
  const { database, outbox, ids, clock, hasher, logger } = deps;
  const sessions = new PostgresSessionRepository(database);
  const uow = new PostgresAuthUnitOfWork(database, { sessions, outbox });
  const keys = new SigningKeyStore(database, settings.accessTokenTtlSeconds);
  await keys.ensureKey();
  const stopWatchingKeys = keys.watch();
  const accessTokens = new JoseAccessTokens(keys, {
    issuer: settings.issuer,
    audience: settings.audience,
    lifetimeSeconds: settings.accessTokenTtlSeconds,
  });
  const revoked = new RevokedSessionsCache(sessions, settings.accessTokenTtlSeconds, logger);
  await revoked.start();
  const credentials = new PostgresCredentialsReader(database);
  const refreshTokens = new CryptoRefreshTokens();
  const revokeSessions = new RevokeUserSessionsHandler({ uow, clock });
  // Hashed once at start with the live parameters, so a verify against it costs what a real one does.
  const dummyHash = await hasher.hash(refreshTokens.issue().token);
  return {
    keys,
    revoked,
    credentials,
    access: new BearerAccessPolicy(accessTokens, revoked),
    login: new LoginHandler({
      credentials,
      hasher,
      attempts: new PostgresLoginAttempts(database, { ...DEFAULT_LOCKOUT, threshold: settings.lockoutThreshold }),
      limiter: new PostgresRateLimiter(database),
      uow,
      refreshTokens,
      accessTokens,
      ids,
      clock,
      upgrader: deps.upgrader,
      settings: {
        loginsPerIpPerMinute: settings.loginsPerIpPerMinute,
        sessionLifetimeMs: settings.refreshTokenTtlSeconds * 1000,
        dummyHash,
      },
    }),
    refresh: new RefreshHandler({ uow, refreshTokens, accessTokens, clock }),
    audit: new ListAuditEventsHandler(new OutboxAuditLogReader(database)),
    logout: new LogoutHandler({ uow, clock }),
    changePassword: new ChangePasswordHandler({
      credentials,
      hasher,
      policy: deps.policy,
      writer: deps.passwordWriter,
      revokeSessions,
      uow,
      clock,
    }),
    stop: () => {
      revoked.stop();
      stopWatchingKeys();
    },
  };
}

export type Auth = Awaited<ReturnType<typeof buildAuth>>;

/** The auth context's reaction to user events (projector role): a gone user's sessions end. */
export function buildSessionRevoker(database: Database, outbox: EventOutbox, clock: Clock): RevokeUserSessionsHandler {
  const sessions = new PostgresSessionRepository(database);
  return new RevokeUserSessionsHandler({ uow: new PostgresAuthUnitOfWork(database, { sessions, outbox }), clock });
}
