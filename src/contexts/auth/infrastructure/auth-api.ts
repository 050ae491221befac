import type { PlatformServices } from '../../../platform/context/platform-services.js';
import { ChangePasswordHandler } from '../application/change-password/change-password.handler.js';
import { ListAuditEventsHandler } from '../application/list-audit-events/list-audit-events.handler.js';
import { LoginHandler } from '../application/login/login.handler.js';
import { OutboxAuditLogReader } from './persistence/outbox-audit-log-reader.js';
import { LogoutHandler } from '../application/logout/logout.handler.js';
import { RefreshHandler } from '../application/refresh/refresh.handler.js';
import { RevokeUserSessionsHandler } from '../application/revoke-user-sessions/revoke-user-sessions.handler.js';
import { DEFAULT_LOCKOUT } from '../domain/login-throttle.js';
import { BearerAccessPolicy } from './http/bearer-access-policy.js';
import { PostgresAuthUnitOfWork } from './persistence/postgres-auth-unit-of-work.js';
import { PostgresLoginAttempts } from './persistence/postgres-login-attempts.js';
import { PostgresSessionRepository } from './persistence/postgres-session-repository.js';
import { CryptoRefreshTokens } from './tokens/crypto-refresh-tokens.js';
import { JoseAccessTokens } from './tokens/jose-access-tokens.js';
import { RevokedSessionsCache } from './tokens/revoked-sessions-cache.js';
import type { SigningAlgorithm } from './tokens/signing-algorithm.js';
import { SigningKeyStore } from './tokens/signing-key-store.js';
import { authMetrics, meteredSignIn } from './auth.metrics.js';
import { UserEventsSubscriber } from './messaging/user-events.subscriber.js';
import type { UserAccounts } from './user-accounts.port.js';
import { emailFlows, type EmailSettings } from './email-flows.js';
import { emailTokens } from './email-tokens.js';
import { SignUpsSubscriber } from './messaging/sign-ups.subscriber.js';
import { VerifyNewAccountHandler } from '../application/verify-new-account/verify-new-account.handler.js';

export interface AuthSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly accessTokenTtlSeconds: number;
  /** The algorithm of new signing keys (JWT_ALGORITHM); a change makes a new key at start. */
  readonly signingAlgorithm: SigningAlgorithm;
  readonly refreshTokenTtlSeconds: number;
  readonly loginsPerIpPerMinute: number;
  readonly registrationsPerIpPerHour: number;
  readonly lockoutThreshold: number;
  /** Mailed tokens: the throttles, and whether unverified accounts may log in. */
  readonly email: EmailSettings;
}

/** The auth context's graph for the API role: tokens, sessions, sign-in handlers and the access policy. */
export async function buildAuthApi(platform: PlatformServices, settings: AuthSettings, accounts: UserAccounts) {
  const { database, outbox, ids, clock, hasher, logger, limiter } = platform;
  const sessions = new PostgresSessionRepository(database);
  const uow = new PostgresAuthUnitOfWork(database, { sessions, outbox });
  const refreshTokens = new CryptoRefreshTokens();
  // Hashed once at start with the live parameters, so a verify against it costs what a real one does;
  // on the thread pool while the keys and the revoked sessions load.
  const hashing = hasher.hash(refreshTokens.issue().token);
  const { keys, accessTokens, stopWatchingKeys } = await signingTokens(platform, settings);
  const revoked = new RevokedSessionsCache(sessions, settings.accessTokenTtlSeconds, logger);
  await revoked.start();
  const { credentials } = accounts;
  const metrics = authMetrics.in(platform.metrics.registry);
  const dummyHash = await hashing;
  const login = new LoginHandler({
    credentials,
    hasher,
    attempts: new PostgresLoginAttempts(database, { ...DEFAULT_LOCKOUT, threshold: settings.lockoutThreshold }),
    limiter,
    uow,
    refreshTokens,
    accessTokens,
    ids,
    clock,
    upgrader: accounts.upgrader,
    settings: {
      loginsPerIpPerMinute: settings.loginsPerIpPerMinute,
      sessionLifetimeMs: settings.refreshTokenTtlSeconds * 1000,
      dummyHash,
      requireEmailVerification: settings.email.requireEmailVerification,
    },
  });
  return {
    platform,
    settings,
    accounts,
    keys,
    revoked,
    access: new BearerAccessPolicy(accessTokens, revoked),
    login: meteredSignIn(login, metrics, 'success'),
    refresh: meteredSignIn(new RefreshHandler({ uow, refreshTokens, accessTokens, clock }), metrics, 'refreshed'),
    audit: new ListAuditEventsHandler(new OutboxAuditLogReader(database)),
    email: emailFlows(platform, settings.email, accounts, new RevokeUserSessionsHandler({ uow, clock })),
    logout: new LogoutHandler({ uow, clock }),
    changePassword: new ChangePasswordHandler({
      credentials,
      hasher,
      policy: platform.passwordPolicy,
      writer: accounts.passwordWriter,
      revokeSessions: new RevokeUserSessionsHandler({ uow, clock }),
      uow,
      clock,
    }),
    stop: () => {
      revoked.stop();
      stopWatchingKeys();
    },
  };
}

export type AuthApi = Awaited<ReturnType<typeof buildAuthApi>>;

/** The signing keys (one ensured at start, the others watched) and the access tokens they sign. */
async function signingTokens(platform: PlatformServices, settings: AuthSettings) {
  const keys = new SigningKeyStore(platform.database, {
    accessTokenLifetimeSeconds: settings.accessTokenTtlSeconds,
    algorithm: settings.signingAlgorithm,
  });
  await keys.ensureKey();
  const stopWatchingKeys = keys.watch();
  const accessTokens = new JoseAccessTokens(keys, {
    issuer: settings.issuer,
    audience: settings.audience,
    lifetimeSeconds: settings.accessTokenTtlSeconds,
  });
  return { keys, accessTokens, stopWatchingKeys };
}

/** The auth context's reaction to user events (any role): a gone user's sessions end. */
export function authWorker(platform: PlatformServices) {
  const { database, outbox, clock, inbox } = platform;
  const sessions = new PostgresSessionRepository(database);
  const revoke = new RevokeUserSessionsHandler({
    uow: new PostgresAuthUnitOfWork(database, { sessions, outbox }),
    clock,
  });
  const signUps = new SignUpsSubscriber(database, inbox, new VerifyNewAccountHandler(emailTokens(platform).issuer));
  return { userEvents: new UserEventsSubscriber(database, inbox, revoke), signUps, logger: platform.logger };
}
