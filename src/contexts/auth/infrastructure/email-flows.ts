import { setTimeout as sleep } from 'node:timers/promises';
import type { PlatformServices } from '../../../platform/context/platform-services.js';
import { ConfirmEmailChangeHandler } from '../application/confirm-email-change/confirm-email-change.handler.js';
import { RequestEmailChangeHandler } from '../application/request-email-change/request-email-change.handler.js';
import { ConfirmEmailVerificationHandler } from '../application/confirm-email-verification/confirm-email-verification.handler.js';
import { ForgotPasswordHandler } from '../application/forgot-password/forgot-password.handler.js';
import { ResetPasswordHandler } from '../application/reset-password/reset-password.handler.js';
import type { RevokeUserSessionsHandler } from '../application/revoke-user-sessions/revoke-user-sessions.handler.js';
import { RequestEmailVerificationHandler } from '../application/request-email-verification/request-email-verification.handler.js';
import type { EmailLimits } from '../application/email-token-ports.js';
import { emailTokens } from './email-tokens.js';
import { TokenPages } from './http/token-pages.js';
import type { UserAccounts } from './user-accounts.port.js';

export interface EmailSettings extends EmailLimits {
  readonly requireEmailVerification: boolean;
}

/** How long a confirmation waits for the read model to show its change before answering anyway. */
const VIEW_WAIT_MS = 5_000;

/** The API's side of the mailed-token flows: requests, confirmations and the pages the links open. */
export function emailFlows(
  platform: PlatformServices,
  settings: EmailSettings,
  accounts: UserAccounts,
  revokeSessions: RevokeUserSessionsHandler,
) {
  const { issuer, spender, throttle } = emailTokens(platform, settings);
  const { credentials, emailWriter, profile, passwordWriter } = accounts;
  const { hasher, passwordPolicy: policy } = platform;
  return {
    settings,
    issuer,
    spender,
    throttle,
    pages: new TokenPages(),
    requestVerification: new RequestEmailVerificationHandler(credentials, throttle, issuer),
    confirmVerification: new ConfirmEmailVerificationHandler(spender, emailWriter),
    forgotPassword: new ForgotPasswordHandler(credentials, throttle, issuer),
    resetPassword: new ResetPasswordHandler({
      spender,
      credentials,
      policy,
      hasher,
      writer: passwordWriter,
      revokeSessions,
    }),
    requestEmailChange: new RequestEmailChangeHandler({ credentials, hasher, throttle, issuer, accounts: emailWriter }),
    confirmEmailChange: new ConfirmEmailChangeHandler({ spender, accounts: emailWriter, revokeSessions }),
    /**
     * The user as the read model shows it once `shows` holds (the command is done, the projection
     * may be a moment behind), or as it is after VIEW_WAIT_MS.
     */
    async userOnce(userId: string, shows: (body: Record<string, unknown>) => boolean) {
      const until = Date.now() + VIEW_WAIT_MS;
      for (;;) {
        const found = await profile.find(userId);
        const body = (found?.body ?? null) as Record<string, unknown> | null;
        if (!found || (body && shows(body)) || Date.now() > until) return found;
        await sleep(50);
      }
    },
  };
}

export type EmailFlows = ReturnType<typeof emailFlows>;
