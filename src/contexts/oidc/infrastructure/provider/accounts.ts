import type { Account, KoaContextWithOIDC } from 'oidc-provider';
import type { SessionLinks } from '../persistence/postgres-session-links.js';
import type { AccountProfile, AccountProfiles, SignIn } from '../sign-in.port.js';

/** The claims of an account, by the names OpenID Connect gives them. */
export function claimsOf(profile: AccountProfile) {
  const name = `${profile.firstName} ${profile.lastName}`.trim();
  return {
    sub: profile.id,
    email: profile.email,
    email_verified: profile.emailVerified,
    preferred_username: profile.username,
    ...(name && { name }),
    ...(profile.firstName && { given_name: profile.firstName }),
    ...(profile.lastName && { family_name: profile.lastName }),
    ...(profile.locale && { locale: profile.locale }),
    updated_at: Math.floor(new Date(profile.updatedAt).getTime() / 1000),
  };
}

/**
 * oidc-provider's `findAccount`: the account behind a `sub`, or nothing. A token that belongs to a
 * grant answers nothing once the Portico session it was signed in with has ended (logout, a
 * revocation, a deactivation, a password change): refresh, userinfo and the code exchange then
 * fail as they do on the REST API. A deactivated or deleted account answers nothing at all.
 */
export function accountFinder(deps: { profiles: AccountProfiles; links: SessionLinks; signIn: SignIn }) {
  return async (_ctx: KoaContextWithOIDC, sub: string, token?: { grantId?: string }): Promise<Account | undefined> => {
    if (token?.grantId) {
      const sessionId = await deps.links.sessionOfGrant(token.grantId);
      if (!sessionId || !(await deps.signIn.isActive(sessionId))) return undefined;
    }
    const profile = (await deps.profiles.find(sub))?.body as AccountProfile | undefined;
    if (!profile || profile.status !== 'active') return undefined;
    return { accountId: sub, claims: () => claimsOf(profile) };
  };
}
