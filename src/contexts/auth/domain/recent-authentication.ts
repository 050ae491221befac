/**
 * How long a sign-in counts as "recent": the routes that change how an account signs in (its
 * second factors) ask for a sign-in this fresh, so a token left on an unattended device, or
 * stolen, cannot take the account over for the rest of its session.
 */
export const RECENT_AUTHENTICATION_MS = 5 * 60_000;

/** Whether a sign-in at `authTime` is recent at `now`; a token that does not say when is not. */
export function isRecentAuthentication(
  authTime: Date | null,
  now: Date,
  maxAgeMs: number = RECENT_AUTHENTICATION_MS,
): boolean {
  if (authTime === null) return false;
  const age = now.getTime() - authTime.getTime();
  return age < maxAgeMs;
}
