import type { JWK } from 'jose';
import { DomainError } from '../../../shared/domain/domain-error.js';
import { RateLimitedError } from '../../../shared/domain/rate-limited-error.js';
import type { AuthApi } from './auth-api.js';
import { PostgresSessionRepository } from './persistence/postgres-session-repository.js';

/** Where a sign-in on a hosted page stands after one step. */
export type HostedSignInStep =
  | { readonly kind: 'signed-in'; readonly userId: string; readonly sessionId: string; readonly amr: string[] }
  | { readonly kind: 'second-factor'; readonly mfaToken: string; readonly methods: string[] }
  | { readonly kind: 'refused'; readonly code: string; readonly retryAfterSeconds?: number };

/** A TOTP code is six digits; anything else typed in the code field is tried as a recovery code. */
const TOTP_CODE = /^\d{6}$/;

/**
 * What auth offers the OpenID provider's hosted pages: the same sign-in the API runs (lockout,
 * rate limits, timing, second factors, REQUIRE_EMAIL_VERIFICATION), ending in an ordinary Portico
 * session, so that logout, revocation and deactivation end an OIDC sign-in exactly as they end an
 * API one. The provider keeps the session's id and asks about it; it never sees a token of ours.
 */
export function hostedSignIn(api: AuthApi) {
  const sessions = new PostgresSessionRepository(api.platform.database);
  return {
    password: (form: { email: string; password: string; ip: string; userAgent?: string }) =>
      step(async () => {
        const result = await api.login.handle(form);
        if ('mfaRequired' in result) {
          return { kind: 'second-factor', mfaToken: result.mfaToken, methods: result.methods } as const;
        }
        return { kind: 'signed-in', userId: result.userId, sessionId: result.sessionId, amr: ['pwd'] } as const;
      }),

    secondFactor: (form: { mfaToken: string; code: string; ip: string; userAgent?: string }) =>
      step(async () => {
        const { mfaToken, ip, userAgent } = form;
        const code = form.code.trim();
        const answer = TOTP_CODE.test(code) ? { code } : { recoveryCode: code };
        const result = await api.loginMfa.handle({ mfaToken, ip, ...(userAgent && { userAgent }), ...answer });
        return { kind: 'signed-in', userId: result.userId, sessionId: result.sessionId, amr: result.amr } as const;
      }),

    passkeyOptions: ({ ip }: { ip: string }): Promise<unknown> => api.mfa.passkeys.authenticationOptions.handle({ ip }),

    passkey: (form: { response: unknown; ip: string; userAgent?: string }) =>
      step(async () => {
        const { ip, userAgent } = form;
        const response = form.response as Parameters<AuthApi['loginPasskey']['handle']>[0]['response'];
        const result = await api.loginPasskey.handle({ response, ip, ...(userAgent && { userAgent }) });
        return { kind: 'signed-in', userId: result.userId, sessionId: result.sessionId, amr: result.amr } as const;
      }),

    /** Whether the session still holds: not ended, not expired (a deactivated user's sessions are ended). */
    isActive: async (sessionId: string): Promise<boolean> => {
      const session = await sessions.findById(sessionId);
      return session !== null && session.isActive(api.platform.clock.now());
    },

    /** Ends the session as a logout does (RP-initiated logout ends the Portico session too). */
    end: (sessionId: string): Promise<void> => api.logout.handle({ sessionId }),

    /** The signing keys with their private parts, the signing one first (ID tokens use them). */
    signingKeys: (): { keys: JWK[]; fingerprint: string } => ({
      keys: api.keys.signingJwks(),
      fingerprint: api.keys.fingerprint(),
    }),
  };
}

export type HostedSignIn = ReturnType<typeof hostedSignIn>;

/** A refusal the page shows (wrong password, locked, rate limited…) instead of an exception. */
async function step(run: () => Promise<HostedSignInStep>): Promise<HostedSignInStep> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RateLimitedError) {
      return { kind: 'refused', code: error.code, retryAfterSeconds: error.retryAfterSeconds };
    }
    if (error instanceof DomainError) return { kind: 'refused', code: error.code };
    throw error;
  }
}
