import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { ConfirmTotpHandler } from '../../../src/contexts/auth/application/confirm-totp/confirm-totp.handler.js';
import { EnrolTotpHandler } from '../../../src/contexts/auth/application/enrol-totp/enrol-totp.handler.js';
import { LoginMfaHandler } from '../../../src/contexts/auth/application/login-mfa/login-mfa.handler.js';
import { SecondFactorGate } from '../../../src/contexts/auth/application/login/second-factor-gate.js';
import { RegenerateRecoveryCodesHandler } from '../../../src/contexts/auth/application/regenerate-recovery-codes/regenerate-recovery-codes.handler.js';
import { RemoveSecondFactorsHandler } from '../../../src/contexts/auth/application/remove-second-factors/remove-second-factors.handler.js';
import { RevokeUserSessionsHandler } from '../../../src/contexts/auth/application/revoke-user-sessions/revoke-user-sessions.handler.js';
import { SecondFactorCodes } from '../../../src/contexts/auth/application/second-factor-codes.js';
import { SessionStarter } from '../../../src/contexts/auth/application/session-starter.js';
import type { LockoutPolicy } from '../../../src/contexts/auth/domain/login-throttle.js';
import { CryptoRecoveryCodes } from '../../../src/contexts/auth/infrastructure/tokens/crypto-recovery-codes.js';
import { OtpauthTotp } from '../../../src/contexts/auth/infrastructure/tokens/otpauth-totp.js';
import { AesGcmSealer } from '../../../src/platform/crypto/aes-gcm-sealer.js';
import { authFixture } from './auth-fixture.js';
import { InMemoryMfaUnitOfWork, InMemorySecondFactorOverview } from './in-memory-second-factors.js';

/** The code an authenticator app shows for `secret` at `at`. */
export function codeAt(secret: string, at: Date): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
    timestamp: at.getTime(),
  });
}

/** Every MFA handler on in-memory stores, with the real TOTP arithmetic, sealer and recovery codes. */
export function mfaFixture(options: { lockout?: LockoutPolicy } = {}) {
  const auth = authFixture(options);
  const uow = new InMemoryMfaUnitOfWork(auth.uow);
  const { clock, refreshTokens, accessTokens, ids } = auth;
  const sealer = new AesGcmSealer([randomBytes(32)]);
  const totp = new OtpauthTotp('Portico');
  const codes = new SecondFactorCodes({ totp, sealer, recoveryCodes: new CryptoRecoveryCodes() });
  const revokeSessions = new RevokeUserSessionsHandler({ uow: auth.uow, clock });
  const changes = { uow, codes, revokeSessions, credentials: auth.credentials, clock };
  const sessions = new SessionStarter({
    uow: auth.uow,
    refreshTokens,
    accessTokens,
    ids,
    sessionLifetimeMs: 3_600_000,
  });
  const gate = new SecondFactorGate({ uow, factors: new InMemorySecondFactorOverview(uow), tokens: refreshTokens });
  return {
    ...auth,
    mfa: uow,
    sealer,
    gate,
    enrol: new EnrolTotpHandler({ uow, totp, sealer, clock }),
    confirm: new ConfirmTotpHandler(changes),
    regenerate: new RegenerateRecoveryCodesHandler(changes),
    remove: new RemoveSecondFactorsHandler(changes),
    login: new LoginMfaHandler({
      uow,
      credentials: auth.credentials,
      codes,
      sessions,
      attempts: auth.attempts,
      limiter: auth.limiter,
      challengeTokens: refreshTokens,
      clock,
      loginsPerIpPerMinute: 100,
    }),
  };
}
