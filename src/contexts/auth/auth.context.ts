import { defineContext } from '../../platform/context/context-manifest.js';
import type { PlatformServices } from '../../platform/context/platform-services.js';
import { perPlatform } from '../../platform/context/per-platform.js';
import { hostedSignIn } from './infrastructure/hosted-sign-in.js';
import { AuthEventTypes } from './domain/auth-events.js';
import { authWorker, buildAuthApi, type AuthSettings } from './infrastructure/auth-api.js';
import { authMetrics } from './infrastructure/auth.metrics.js';
import {
  auditRoute,
  changePasswordRoute,
  jwksRoute,
  loginRoute,
  logoutRoute,
  refreshRoute,
} from './infrastructure/http/auth.routes.js';
import { REVOKING_EVENTS } from './infrastructure/messaging/user-events.reaction.js';
import {
  confirmTotpRoute,
  enrolTotpRoute,
  loginMfaRoute,
  regenerateRecoveryCodesRoute,
  removeTotpRoute,
  removeUserMfaRoute,
} from './infrastructure/http/mfa.routes.js';
import {
  listPasskeysRoute,
  passkeyAuthenticationOptionsRoute,
  passkeyAuthenticationRoute,
  passkeyRegistrationOptionsRoute,
  registerPasskeyRoute,
  removePasskeyRoute,
} from './infrastructure/http/passkeys.routes.js';
import { meRoute } from './infrastructure/http/me.route.js';
import { registerRoute } from './infrastructure/http/register.route.js';
import {
  endOtherSessionsRoute,
  endOwnSessionRoute,
  endUserSessionsRoute,
  listOwnSessionsRoute,
  listUserSessionsRoute,
} from './infrastructure/http/sessions.routes.js';
import {
  confirmVerificationRoute,
  requestVerificationRoute,
  verifyEmailPageRoute,
} from './infrastructure/http/email-verification.routes.js';
import {
  forgotPasswordRoute,
  resetPasswordPageRoute,
  resetPasswordRoute,
} from './infrastructure/http/password-reset.routes.js';
import {
  confirmEmailChangePageRoute,
  confirmEmailChangeRoute,
  requestEmailChangeRoute,
} from './infrastructure/http/email-change.routes.js';
import { SIGN_UPS_QUEUE } from './infrastructure/messaging/sign-ups.subscriber.js';
import * as tables from './infrastructure/persistence/auth.tables.js';
import type { UserAccounts } from './infrastructure/user-accounts.port.js';

/** Every route of the context, in the order OpenAPI lists them. */
const routes = [
  registerRoute,
  loginRoute,
  loginMfaRoute,
  refreshRoute,
  logoutRoute,
  meRoute,
  changePasswordRoute,
  listOwnSessionsRoute,
  endOwnSessionRoute,
  endOtherSessionsRoute,
  listUserSessionsRoute,
  endUserSessionsRoute,
  enrolTotpRoute,
  confirmTotpRoute,
  removeTotpRoute,
  regenerateRecoveryCodesRoute,
  removeUserMfaRoute,
  passkeyRegistrationOptionsRoute,
  registerPasskeyRoute,
  listPasskeysRoute,
  removePasskeyRoute,
  passkeyAuthenticationOptionsRoute,
  passkeyAuthenticationRoute,
  auditRoute,
  jwksRoute,
  requestVerificationRoute,
  confirmVerificationRoute,
  verifyEmailPageRoute,
  forgotPasswordRoute,
  resetPasswordRoute,
  resetPasswordPageRoute,
  requestEmailChangeRoute,
  confirmEmailChangeRoute,
  confirmEmailChangePageRoute,
];

/** The context's problem codes and their HTTP status. */
const errors = {
  invalid_credentials: { status: 401, title: 'Invalid credentials' },
  refresh_token_invalid: { status: 401, title: 'The refresh token is not valid' },
  refresh_token_reused: { status: 401, title: 'The refresh token was reused' },
  token_invalid: { status: 400, title: 'The token is not valid' },
  email_not_verified: { status: 403, title: 'The email address is not verified' },
  reauthentication_required: { status: 401, title: 'A recent sign-in is required' },
  // 401 at sign-in; the confirmation of an enrolment answers it 400 (mfa.routes.ts).
  mfa_code_invalid: { status: 401, title: 'The code is not valid' },
  mfa_already_enabled: { status: 409, title: 'A second factor is already enabled' },
  mfa_not_enabled: { status: 409, title: 'No second factor is enabled' },
  passkey_registration_failed: { status: 400, title: 'The passkey registration did not verify' },
  passkey_invalid: { status: 401, title: 'The passkey did not verify' },
};

/**
 * The auth context: sign-up, sign-in, tokens, sessions and their audit trail. The accounts
 * themselves belong to another context, reached only through the UserAccounts ports.
 */
export function authContext(settings: AuthSettings, accounts: (platform: PlatformServices) => UserAccounts) {
  const api = perPlatform((platform) => buildAuthApi(platform, settings, accounts(platform)));
  const manifest = defineContext({
    name: 'auth',
    description: 'Sign-up, sign-in, tokens and sessions; the access policy every route asks',
    worker: authWorker,
    commands: {},
    events: Object.values(AuthEventTypes),
    consumers: [
      // Self sign-ups are created unverified by the users context: their first verification mail.
      { queue: SIGN_UPS_QUEUE, subscribesTo: ['users.user.created'], handler: (w) => (d) => w.signUps.handle(d) },
    ],
    reactions: [
      {
        on: Object.keys(REVOKING_EVENTS),
        handler: (w) => async (event) => {
          const revoked = await w.revokeSessionsOf(event);
          if (revoked.length > 0) w.logger.info({ revoked: revoked.length }, 'sessions revoked');
        },
      },
    ],
    api,
    routes,
    tables,
    errors,
    metrics: authMetrics,
  });
  return {
    manifest,
    /** The sign-in the OpenID provider's hosted pages run: the API's own graph, not a second one. */
    hostedSignIn: async (platform: PlatformServices) => hostedSignIn(await api(platform)),
  };
}
