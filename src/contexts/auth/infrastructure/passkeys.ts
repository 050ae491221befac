import type { PlatformServices } from '../../../platform/context/platform-services.js';
import type { Clock } from '../../../shared/application/ports/clock.js';
import type { IdGenerator } from '../../../shared/application/ports/id-generator.js';
import type { RateLimiter } from '../application/auth-ports.js';
import { ListPasskeysHandler } from '../application/list-passkeys/list-passkeys.handler.js';
import { LoginPasskeyHandler } from '../application/login-passkey/login-passkey.handler.js';
import type { MfaUnitOfWork } from '../application/mfa-ports.js';
import { PasskeyAuthenticationOptionsHandler } from '../application/passkey-authentication-options/passkey-authentication-options.handler.js';
import type { ChallengeDigest, WebAuthnCeremonies } from '../application/passkey-ports.js';
import { PasskeyRegistrationOptionsHandler } from '../application/passkey-registration-options/passkey-registration-options.handler.js';
import { RegisterPasskeyHandler } from '../application/register-passkey/register-passkey.handler.js';
import { RemovePasskeyHandler } from '../application/remove-passkey/remove-passkey.handler.js';
import type { RevokeUserSessionsHandler } from '../application/revoke-user-sessions/revoke-user-sessions.handler.js';
import type { SessionStarter } from '../application/session-starter.js';
import type { CredentialsReader } from '../domain/credentials.js';
import { CryptoRefreshTokens } from './tokens/crypto-refresh-tokens.js';
import { SimpleWebAuthnCeremonies, type WebAuthnSettings } from './tokens/simplewebauthn-ceremonies.js';
import type { UserAccounts } from './user-accounts.port.js';

/** What the passkey use cases work with. */
export interface PasskeyDeps {
  readonly uow: MfaUnitOfWork;
  readonly ceremonies: WebAuthnCeremonies;
  readonly digest: ChallengeDigest;
  readonly revokeSessions: RevokeUserSessionsHandler;
  readonly sessions: SessionStarter;
  readonly credentials: CredentialsReader;
  readonly limiter: RateLimiter;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  readonly loginsPerIpPerMinute: number;
  /** REQUIRE_EMAIL_VERIFICATION: a passkey of an unverified account signs in no more than its password. */
  readonly requireEmailVerification?: boolean;
}

/** Every passkey use case over `deps`: registration, the list, removal, and the sign-in they make on their own. */
export function passkeyUseCases(deps: PasskeyDeps) {
  return {
    registrationOptions: new PasskeyRegistrationOptionsHandler(deps),
    register: new RegisterPasskeyHandler(deps),
    list: new ListPasskeysHandler(deps),
    remove: new RemovePasskeyHandler(deps),
    authenticationOptions: new PasskeyAuthenticationOptionsHandler(deps),
    login: new LoginPasskeyHandler(deps),
  };
}

/** The API's passkeys: the use cases with `@simplewebauthn/server` for WEBAUTHN_RP_ID and WEBAUTHN_ORIGINS. */
export function passkeyHandlers(
  { clock, ids, limiter }: PlatformServices,
  deps: {
    uow: MfaUnitOfWork;
    revokeSessions: RevokeUserSessionsHandler;
    sessions: SessionStarter;
    accounts: UserAccounts;
    webauthn: WebAuthnSettings;
    loginsPerIpPerMinute: number;
    requireEmailVerification: boolean;
  },
) {
  return passkeyUseCases({
    ...deps,
    ceremonies: new SimpleWebAuthnCeremonies(deps.webauthn),
    digest: new CryptoRefreshTokens(),
    credentials: deps.accounts.credentials,
    limiter,
    ids,
    clock,
  });
}

export type PasskeyHandlers = ReturnType<typeof passkeyHandlers>;
