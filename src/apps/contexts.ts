import { authContext } from '../contexts/auth/auth.context.js';
import { userAccounts } from '../contexts/users/infrastructure/accounts/user-accounts.js';
import { usersContext } from '../contexts/users/users.context.js';
import { mailContext } from '../contexts/mail/mail.context.js';
import { oidcContext } from '../contexts/oidc/oidc.context.js';
import { ContextCatalogue, type AnyManifest } from '../platform/context/context-catalogue.js';
import type { Config } from './config/config.js';

/** Every context this service runs, one line each; the platform derives the rest from them. */
export function contextsFor(config: Config, extra: readonly AnyManifest[] = []): ContextCatalogue {
  return new ContextCatalogue([
    usersContext,
    authContext(
      {
        issuer: config.jwtIssuer,
        audience: config.jwtAudience,
        accessTokenTtlSeconds: config.accessTokenTtlSeconds,
        revocationPollMs: config.revocationPollMs,
        signingAlgorithm: config.jwtAlgorithm,
        refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
        loginsPerIpPerMinute: config.loginsPerIpPerMinute,
        registrationsPerIpPerHour: config.registrationsPerIpPerHour,
        lockoutThreshold: config.lockoutThreshold,
        email: {
          perAddressPerHour: config.emailsPerAddressPerHour,
          perIpPerHour: config.emailRequestsPerIpPerHour,
          requireEmailVerification: config.requireEmailVerification,
        },
        webauthn: { rpId: config.webauthnRpId, origins: config.webauthnOrigins, rpName: 'Portico' },
      },
      userAccounts,
    ),
    mailContext({
      smtpUrl: config.smtpUrl,
      mailFrom: config.mailFrom,
      publicUrl: config.publicUrl ?? `http://${config.host}:${config.port}`,
      production: config.nodeEnv === 'production',
    }),
    oidcContext,
    ...extra,
  ]);
}
