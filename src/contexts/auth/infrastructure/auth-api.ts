import type { PlatformServices } from '../../../platform/context/platform-services.js';
import type { RouteDefinition } from '../../../platform/context/context-manifest.js';
import { routesOf } from '../../../platform/http/route.js';
import { ChangePasswordHandler } from '../application/change-password/change-password.handler.js';
import { ListAuditEventsHandler } from '../application/list-audit-events/list-audit-events.handler.js';
import { LoginHandler } from '../application/login/login.handler.js';
import { OutboxAuditLogReader } from './persistence/outbox-audit-log-reader.js';
import { EndSessionHandler } from '../application/end-session/end-session.handler.js';
import { ListSessionsHandler } from '../application/list-sessions/list-sessions.handler.js';
import { LogoutHandler } from '../application/logout/logout.handler.js';
import { RefreshHandler } from '../application/refresh/refresh.handler.js';
import { RevokeUserSessionsHandler } from '../application/revoke-user-sessions/revoke-user-sessions.handler.js';
import { DEFAULT_LOCKOUT } from '../domain/login-throttle.js';
import { BearerAccessPolicy } from './http/bearer-access-policy.js';
import { registerTokenPage, type TokenPageRoute } from './http/token-pages.js';
import { PostgresAuthUnitOfWork } from './persistence/postgres-auth-unit-of-work.js';
import { PostgresLoginAttempts } from './persistence/postgres-login-attempts.js';
import { PostgresRevocationLog } from './persistence/postgres-revocation-log.js';
import { PostgresSessionReader } from './persistence/postgres-session-reader.js';
import { PostgresSessionRepository } from './persistence/postgres-session-repository.js';
import { CryptoRefreshTokens } from './tokens/crypto-refresh-tokens.js';
import { JoseAccessTokens } from './tokens/jose-access-tokens.js';
import { RevokedSessionsCache, revocationTiming } from './tokens/revoked-sessions-cache.js';
import type { SigningAlgorithm } from './tokens/signing-algorithm.js';
import { SigningKeyStore } from './tokens/signing-key-store.js';
import { VerifiedTokenCache } from './tokens/verified-token-cache.js';
import { authMetrics, meteredSignIn } from './auth.metrics.js';
import { revokeSessionsOnUserEvent } from './messaging/user-events.reaction.js';
import type { UserAccounts } from './user-accounts.port.js';
import { emailFlows, type EmailSettings } from './email-flows.js';
import { emailTokens } from './email-tokens.js';
import { SessionStarter } from '../application/session-starter.js';
import { secondFactors } from './second-factors.js';
import { SignUpsSubscriber } from './messaging/sign-ups.subscriber.js';
import { VerifyNewAccountHandler } from '../application/verify-new-account/verify-new-account.handler.js';
import type { WebAuthnSettings } from './tokens/simplewebauthn-ceremonies.js';

export interface AuthSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly accessTokenTtlSeconds: number;
  /** How often the revocation cache reads (REVOCATION_POLL_MS); its other limits follow from it. */
  readonly revocationPollMs: number;
  /** The algorithm of new signing keys (JWT_ALGORITHM); a change makes a new key at start. */
  readonly signingAlgorithm: SigningAlgorithm;
  readonly refreshTokenTtlSeconds: number;
  readonly loginsPerIpPerMinute: number;
  readonly registrationsPerIpPerHour: number;
  readonly lockoutThreshold: number;
  /** Mailed tokens: the throttles, and whether unverified accounts may log in. */
  readonly email: EmailSettings;
  /** WEBAUTHN_RP_ID and WEBAUTHN_ORIGINS: where passkeys are made and used. */
  readonly webauthn: WebAuthnSettings;
}

/** The auth context's graph for the API role: tokens, sessions, sign-in handlers and the access policy. */
export async function buildAuthApi(platform: PlatformServices, settings: AuthSettings, accounts: UserAccounts) {
  const { database, outbox, clock } = platform;
  const sessions = new PostgresSessionRepository(database);
  const uow = new PostgresAuthUnitOfWork(database, { sessions, outbox });
  const refreshTokens = new CryptoRefreshTokens();
  // Hashed once at start with the live parameters, so a verify against it costs what a real one does;
  // on the thread pool while the rest of the service starts (not awaited here: a later start on
  // the embedded database waited ~140 ms for it), and every login awaits it.
  const dummyHash = platform.hasher.hash(refreshTokens.issue().token);
  dummyHash.catch(() => undefined); // a failure surfaces in the login that awaits it
  const { keys, accessTokens, stopWatchingKeys } = await signingTokens(platform, settings);
  const revoked = await startRevokedSessionsCache(platform, settings);
  const metrics = authMetrics.in(platform.metrics.registry);
  const { login, mfa } = signIn(platform, settings, accounts, {
    uow,
    refreshTokens,
    accessTokens,
    dummyHash,
  });
  return {
    platform,
    settings,
    accounts,
    keys,
    revoked,
    access: new BearerAccessPolicy(new VerifiedTokenCache(accessTokens), revoked),
    login: meteredSignIn(login, metrics, (result) =>
      'mfaRequired' in result ? { status: 'mfa_required', challenge: 'required' } : { status: 'success', amr: ['pwd'] },
    ),
    loginMfa: meteredSignIn(mfa.login, metrics, ({ amr }) => ({ status: 'success', amr, challenge: 'passed' }), true),
    loginPasskey: meteredSignIn(mfa.passkeys.login, metrics, ({ amr }) => ({ status: 'success', amr })),
    mfa,
    refresh: meteredSignIn(new RefreshHandler({ uow, refreshTokens, accessTokens, clock }), metrics, () => ({
      status: 'refreshed',
    })),
    audit: new ListAuditEventsHandler(new OutboxAuditLogReader(database)),
    email: emailFlows(platform, settings.email, accounts, new RevokeUserSessionsHandler({ uow, clock })),
    logout: new LogoutHandler({ uow, clock }),
    sessions: sessionHandlers(platform, uow),
    changePassword: changePasswordHandler(platform, accounts, uow),
    // A finished command on a user (deactivate, delete) is answered once no API process accepts their sessions.
    settle: (resourceId: string) => revoked.settle({ userId: resourceId }),
    stop: async () => {
      stopWatchingKeys();
      await revoked.stop();
    },
  };
}

export type AuthApi = Awaited<ReturnType<typeof buildAuthApi>>;

/** Declares an auth route: `route({ method, url, schema, handler: (deps) => … })`. */
export const route = routesOf<AuthApi>();

/** Declares a PUBLIC_URL page a mail links to: `tokenPage((deps) => ({ path, page, summary, submit }))`. */
export const tokenPage = (spec: (deps: AuthApi) => TokenPageRoute): RouteDefinition<AuthApi> => ({
  register: (app, deps) => registerTokenPage(app, deps.email.pages, spec(deps)),
});

/** Password sign-in, and the second-factor step it opens for accounts with one. */
function signIn(
  platform: PlatformServices,
  settings: AuthSettings,
  accounts: UserAccounts,
  tokens: {
    uow: PostgresAuthUnitOfWork;
    refreshTokens: CryptoRefreshTokens;
    accessTokens: JoseAccessTokens;
    dummyHash: Promise<string>;
  },
) {
  const { database, outbox, ids, clock, hasher, limiter } = platform;
  const { uow, refreshTokens, accessTokens, dummyHash } = tokens;
  const attempts = new PostgresLoginAttempts(database, { ...DEFAULT_LOCKOUT, threshold: settings.lockoutThreshold });
  const sessionLifetimeMs = settings.refreshTokenTtlSeconds * 1000;
  const mfa = secondFactors(platform, {
    scope: { sessions: new PostgresSessionRepository(database), outbox },
    sessions: new SessionStarter({ uow, refreshTokens, accessTokens, ids, sessionLifetimeMs }),
    attempts,
    accounts,
    loginsPerIpPerMinute: settings.loginsPerIpPerMinute,
    requireEmailVerification: settings.email.requireEmailVerification,
    webauthn: settings.webauthn,
  });
  const login = new LoginHandler({
    credentials: accounts.credentials,
    hasher,
    attempts,
    limiter,
    uow,
    refreshTokens,
    accessTokens,
    ids,
    clock,
    upgrader: accounts.upgrader,
    secondFactors: mfa.gate,
    settings: {
      loginsPerIpPerMinute: settings.loginsPerIpPerMinute,
      sessionLifetimeMs,
      dummyHash,
      requireEmailVerification: settings.email.requireEmailVerification,
    },
  });
  return { login, mfa };
}

function changePasswordHandler(platform: PlatformServices, accounts: UserAccounts, uow: PostgresAuthUnitOfWork) {
  const { hasher, clock, passwordPolicy: policy } = platform;
  const revokeSessions = new RevokeUserSessionsHandler({ uow, clock });
  const { credentials, passwordWriter: writer } = accounts;
  return new ChangePasswordHandler({ credentials, hasher, policy, writer, revokeSessions, uow, clock });
}

/** Listing and ending sessions: the user's own, or an admin's for a user. */
function sessionHandlers({ database, clock }: PlatformServices, uow: PostgresAuthUnitOfWork) {
  return {
    list: new ListSessionsHandler({ reader: new PostgresSessionReader(database), clock }),
    end: new EndSessionHandler({ uow, clock }),
    revokeAll: new RevokeUserSessionsHandler({ uow, clock }),
  };
}

/** What this API process knows of revoked sessions, read once before the first request. */
async function startRevokedSessionsCache(platform: PlatformServices, settings: AuthSettings) {
  const log = new PostgresRevocationLog(platform.database);
  const timing = revocationTiming(settings.revocationPollMs);
  const revoked = new RevokedSessionsCache(log, settings.accessTokenTtlSeconds, platform.logger, timing);
  await revoked.start();
  return revoked;
}

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

/** The auth context's reaction to user events (any role): a gone user's sessions end with the change. */
export function authWorker(platform: PlatformServices) {
  const { database, outbox, clock, inbox } = platform;
  const sessions = new PostgresSessionRepository(database);
  const revoke = new RevokeUserSessionsHandler({
    uow: new PostgresAuthUnitOfWork(database, { sessions, outbox }),
    clock,
  });
  const signUps = new SignUpsSubscriber(database, inbox, new VerifyNewAccountHandler(emailTokens(platform).issuer));
  return { revokeSessionsOf: revokeSessionsOnUserEvent(revoke), signUps, logger: platform.logger };
}
