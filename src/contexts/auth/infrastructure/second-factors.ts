import type { PlatformServices } from '../../../platform/context/platform-services.js';
import type { LoginAttempts } from '../application/auth-ports.js';
import { ConfirmTotpHandler } from '../application/confirm-totp/confirm-totp.handler.js';
import { EnrolTotpHandler } from '../application/enrol-totp/enrol-totp.handler.js';
import { SecondFactorGate } from '../application/login/second-factor-gate.js';
import { LoginMfaHandler } from '../application/login-mfa/login-mfa.handler.js';
import type { MfaScope } from '../application/mfa-ports.js';
import { RegenerateRecoveryCodesHandler } from '../application/regenerate-recovery-codes/regenerate-recovery-codes.handler.js';
import { RemoveSecondFactorsHandler } from '../application/remove-second-factors/remove-second-factors.handler.js';
import { RevokeUserSessionsHandler } from '../application/revoke-user-sessions/revoke-user-sessions.handler.js';
import { SecondFactorCodes } from '../application/second-factor-codes.js';
import type { SessionStarter } from '../application/session-starter.js';
import { PostgresAuthUnitOfWork } from './persistence/postgres-auth-unit-of-work.js';
import { PostgresPasskeyChallenges, PostgresPasskeys } from './persistence/postgres-passkeys.js';
import {
  PostgresMfaChallenges,
  PostgresRecoveryCodes,
  PostgresSecondFactorOverview,
  PostgresTotpFactors,
} from './persistence/postgres-second-factors.js';
import { CryptoRecoveryCodes } from './tokens/crypto-recovery-codes.js';
import { CryptoRefreshTokens } from './tokens/crypto-refresh-tokens.js';
import { OtpauthTotp } from './tokens/otpauth-totp.js';
import type { WebAuthnSettings } from './tokens/simplewebauthn-ceremonies.js';
import { passkeyHandlers } from './passkeys.js';
import type { UserAccounts } from './user-accounts.port.js';

/** What authenticator apps show above the codes. */
const TOTP_ISSUER = 'Portico';

/** The API's side of second factors: enrolment, removal, recovery codes, passkeys, and the sign-in step they add. */
export function secondFactors(
  platform: PlatformServices,
  auth: {
    scope: Pick<MfaScope, 'sessions' | 'outbox'>;
    sessions: SessionStarter;
    attempts: LoginAttempts;
    accounts: UserAccounts;
    loginsPerIpPerMinute: number;
    requireEmailVerification: boolean;
    webauthn: WebAuthnSettings;
  },
) {
  const { database, clock, sealer, limiter } = platform;
  const uow = new PostgresAuthUnitOfWork<MfaScope>(database, {
    ...auth.scope,
    totp: new PostgresTotpFactors(database),
    recoveryCodes: new PostgresRecoveryCodes(database),
    challenges: new PostgresMfaChallenges(database),
    passkeys: new PostgresPasskeys(database),
    passkeyChallenges: new PostgresPasskeyChallenges(database),
  });
  const codes = new SecondFactorCodes({
    totp: new OtpauthTotp(TOTP_ISSUER),
    sealer,
    recoveryCodes: new CryptoRecoveryCodes(),
  });
  const revokeSessions = new RevokeUserSessionsHandler({ uow, clock });
  const changes = { uow, codes, revokeSessions, credentials: auth.accounts.credentials, clock };
  const challengeTokens = new CryptoRefreshTokens();
  return {
    gate: new SecondFactorGate({ uow, factors: new PostgresSecondFactorOverview(database), tokens: challengeTokens }),
    enrolTotp: new EnrolTotpHandler({ uow, totp: new OtpauthTotp(TOTP_ISSUER), sealer, clock }),
    confirmTotp: new ConfirmTotpHandler(changes),
    regenerateRecoveryCodes: new RegenerateRecoveryCodesHandler(changes),
    remove: new RemoveSecondFactorsHandler(changes),
    passkeys: passkeyHandlers(platform, { ...auth, uow, revokeSessions }),
    login: new LoginMfaHandler({
      uow,
      credentials: auth.accounts.credentials,
      codes,
      sessions: auth.sessions,
      attempts: auth.attempts,
      limiter,
      challengeTokens,
      clock,
      loginsPerIpPerMinute: auth.loginsPerIpPerMinute,
    }),
  };
}

export type SecondFactors = ReturnType<typeof secondFactors>;
