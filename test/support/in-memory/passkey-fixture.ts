import type {
  CeremonyOptions,
  RegisteredCredential,
  WebAuthnCeremonies,
  WebAuthnResponse,
} from '../../../src/contexts/auth/application/passkey-ports.js';
import type { Passkey } from '../../../src/contexts/auth/domain/passkeys.js';
import { SessionStarter } from '../../../src/contexts/auth/application/session-starter.js';
import { RevokeUserSessionsHandler } from '../../../src/contexts/auth/application/revoke-user-sessions/revoke-user-sessions.handler.js';
import { passkeyUseCases } from '../../../src/contexts/auth/infrastructure/passkeys.js';
import { mfaFixture } from './mfa-fixture.js';

/**
 * The WebAuthn ceremonies without the cryptography: a response is `{ id, challenge, valid,
 * counter }`, and "verifies" when `valid` is true. What the use cases decide (challenges spent,
 * bound, expired; counters; accounts) is then tested on its own; the real verification is the
 * browser test's.
 */
export class FakeCeremonies implements WebAuthnCeremonies {
  private issued = 0;

  async registrationOptions(user: { exclude: readonly Pick<Passkey, 'credentialId'>[] }): Promise<CeremonyOptions> {
    const challenge = `reg-${++this.issued}`;
    return { challenge, options: { challenge, excludeCredentials: user.exclude.map((p) => p.credentialId) } };
  }

  async authenticationOptions(): Promise<CeremonyOptions> {
    const challenge = `auth-${++this.issued}`;
    return { challenge, options: { challenge, allowCredentials: [] } };
  }

  readResponse(response: WebAuthnResponse) {
    const { id, challenge } = response;
    return typeof id === 'string' && typeof challenge === 'string' ? { challenge, credentialId: id } : null;
  }

  async verifyRegistration(response: WebAuthnResponse): Promise<RegisteredCredential | null> {
    if (response.valid !== true) return null;
    return { credentialId: String(response.id), publicKey: 'cose-key', counter: 0, transports: ['internal'] };
  }

  async verifyAuthentication(response: WebAuthnResponse): Promise<{ counter: number } | null> {
    return response.valid === true ? { counter: Number(response.counter ?? 0) } : null;
  }
}

/** The passkey use cases on the in-memory MFA stores, with the fake ceremonies. */
export function passkeyFixture(options: { requireEmailVerification?: boolean } = {}) {
  const f = mfaFixture();
  const { clock, ids, refreshTokens, accessTokens, limiter } = f;
  const ceremonies = new FakeCeremonies();
  const sessions = new SessionStarter({ uow: f.uow, refreshTokens, accessTokens, ids, sessionLifetimeMs: 3_600_000 });
  const revokeSessions = new RevokeUserSessionsHandler({ uow: f.uow, clock });
  const passkeys = passkeyUseCases({
    uow: f.mfa,
    ceremonies,
    digest: refreshTokens,
    revokeSessions,
    sessions,
    credentials: f.credentials,
    limiter,
    ids,
    clock,
    loginsPerIpPerMinute: 100,
    ...options,
  });
  return { ...f, ceremonies, passkeys };
}
