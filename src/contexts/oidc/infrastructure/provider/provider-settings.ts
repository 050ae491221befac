/** What the OpenID provider is configured with (from the one configuration table). */
export interface OidcSettings {
  /** JWT_ISSUER: the provider's issuer, an absolute URL its endpoints hang from. */
  readonly issuer: string;
  readonly accessTokenTtlSeconds: number;
  /** REFRESH_TOKEN_TTL: a Portico session's lifetime; an OIDC sign-in lives as long. */
  readonly refreshTokenTtlSeconds: number;
  /** TRUST_PROXY: the provider then reads the scheme and host the proxy forwards. */
  readonly trustProxy: boolean;
}

/** Where the provider's endpoints live, under the issuer (discovery stays at /.well-known). */
export const OIDC_ROUTES = {
  authorization: '/oidc/auth',
  token: '/oidc/token',
  userinfo: '/oidc/userinfo',
  jwks: '/oidc/jwks',
  end_session: '/oidc/session/end',
  revocation: '/oidc/token/revocation',
  introspection: '/oidc/token/introspection',
} as const;

/** The hosted interaction pages: `<prefix>/<uid>` shows a step, `<prefix>/<uid>/<step>` takes its form. */
export const INTERACTION_PREFIX = '/oidc/interaction';

export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

/** The claims each scope releases (OpenID Connect Core §5.4). */
export const OIDC_CLAIMS = {
  // The ID token's own claims (oidc-provider's defaults, kept when the scopes are listed).
  acr: null,
  iss: null,
  sid: null,
  // How and when the person signed in (`pwd`, `otp`, `hwk`), in every ID token, as in our access tokens.
  openid: ['sub', 'amr', 'auth_time'],
  email: ['email', 'email_verified'],
  profile: ['preferred_username', 'name', 'given_name', 'family_name', 'locale', 'updated_at'],
};
