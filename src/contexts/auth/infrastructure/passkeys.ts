import type { PlatformServices } from '../../../platform/context/platform-services.js';
import { ListPasskeysHandler } from '../application/list-passkeys/list-passkeys.handler.js';
import { LoginPasskeyHandler } from '../application/login-passkey/login-passkey.handler.js';
import type { MfaUnitOfWork } from '../application/mfa-ports.js';
import { PasskeyAuthenticationOptionsHandler } from '../application/passkey-authentication-options/passkey-authentication-options.handler.js';
import { PasskeyRegistrationOptionsHandler } from '../application/passkey-registration-options/passkey-registration-options.handler.js';
import { RegisterPasskeyHandler } from '../application/register-passkey/register-passkey.handler.js';
import { RemovePasskeyHandler } from '../application/remove-passkey/remove-passkey.handler.js';
import type { RevokeUserSessionsHandler } from '../application/revoke-user-sessions/revoke-user-sessions.handler.js';
import type { SessionStarter } from '../application/session-starter.js';
import { CryptoRefreshTokens } from './tokens/crypto-refresh-tokens.js';
import { SimpleWebAuthnCeremonies, type WebAuthnSettings } from './tokens/simplewebauthn-ceremonies.js';
import type { UserAccounts } from './user-accounts.port.js';

/** The API's side of passkeys: registration, the list, removal, and the sign-in they make on their own. */
export function passkeyHandlers(
  { clock, ids, limiter }: PlatformServices,
  deps: {
    uow: MfaUnitOfWork;
    revokeSessions: RevokeUserSessionsHandler;
    sessions: SessionStarter;
    accounts: UserAccounts;
    webauthn: WebAuthnSettings;
    loginsPerIpPerMinute: number;
  },
) {
  const { uow, revokeSessions, loginsPerIpPerMinute } = deps;
  const ceremonies = new SimpleWebAuthnCeremonies(deps.webauthn);
  const digest = new CryptoRefreshTokens();
  return {
    registrationOptions: new PasskeyRegistrationOptionsHandler({ uow, ceremonies, digest, clock }),
    register: new RegisterPasskeyHandler({ uow, ceremonies, digest, revokeSessions, ids, clock }),
    list: new ListPasskeysHandler({ uow }),
    remove: new RemovePasskeyHandler({ uow, revokeSessions, clock }),
    authenticationOptions: new PasskeyAuthenticationOptionsHandler({
      uow,
      ceremonies,
      digest,
      limiter,
      clock,
      loginsPerIpPerMinute,
    }),
    login: new LoginPasskeyHandler({
      uow,
      credentials: deps.accounts.credentials,
      ceremonies,
      digest,
      sessions: deps.sessions,
      limiter,
      ids,
      clock,
      loginsPerIpPerMinute,
    }),
  };
}

export type PasskeyHandlers = ReturnType<typeof passkeyHandlers>;
