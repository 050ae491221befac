/**
 * Passkeys (WebAuthn discoverable credentials): a user's registered public keys, and the
 * challenges a registration or a sign-in signs. Pure rules; the WebAuthn verification itself is an
 * adapter's (behind the WebAuthnCeremonies port).
 */

/** How long the challenge of a registration or a sign-in stays usable. */
export const PASSKEY_CHALLENGE_LIFETIME_MS = 5 * 60_000;

/** Longest passkey name kept (a label the user chose, for their list). */
export const MAX_PASSKEY_NAME_LENGTH = 100;

/** A registered credential. Only public material: the private key never leaves the authenticator. */
export interface Passkey {
  readonly id: string;
  readonly userId: string;
  /** The WebAuthn credential id, base64url: what a sign-in's response names. */
  readonly credentialId: string;
  /** The COSE public key, base64url. */
  readonly publicKey: string;
  /** The authenticator's signature counter at its last use (0: the authenticator keeps none). */
  readonly counter: number;
  readonly transports: readonly string[];
  readonly name: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

export type PasskeySummary = Pick<Passkey, 'id' | 'name' | 'createdAt' | 'lastUsedAt'>;

/**
 * A signature counter must grow at each use (WebAuthn §6.1.1): one that does not says the
 * credential may have been cloned. Authenticators that keep no counter always send 0; both 0
 * then passes.
 */
export function acceptsCounter(stored: number, presented: number): boolean {
  if (stored === 0 && presented === 0) return true;
  return presented > stored;
}

/** The name a passkey is listed under: the user's, trimmed and cut, or a default. */
export function passkeyName(given: string | undefined, now: Date): string {
  const name = given?.trim().slice(0, MAX_PASSKEY_NAME_LENGTH);
  return name ? name : `Passkey added ${now.toISOString().slice(0, 10)}`;
}

export type PasskeyCeremony = 'registration' | 'authentication';

/**
 * A challenge handed out in creation or request options, by digest; spent once. A registration's
 * is bound to the user who asked for it; a sign-in's to nobody (the credential names its user).
 */
export interface PasskeyChallenge {
  readonly challengeHash: string;
  readonly ceremony: PasskeyCeremony;
  readonly userId: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** Ports: the stores. */
export interface PasskeyRepository {
  insert(passkey: Passkey): Promise<void>;
  /** The user's passkeys, oldest first. */
  listByUser(userId: string): Promise<Passkey[]>;
  /** By credential id, locked for the sign-in's transaction. */
  findByCredentialId(credentialId: string): Promise<Passkey | null>;
  /** Records a sign-in: the counter it presented, and when. */
  recordUse(id: string, counter: number, now: Date): Promise<void>;
  /** Removes one of the user's passkeys; false when the user has none with that id. */
  remove(userId: string, id: string): Promise<boolean>;
  /** Removes all of the user's passkeys; how many there were. */
  removeAll(userId: string): Promise<number>;
}

export interface PasskeyChallengeRepository {
  insert(challenge: PasskeyChallenge): Promise<void>;
  /**
   * Spends the challenge of that ceremony, if it is open (not spent, not expired), and answers it;
   * null otherwise. A challenge is deleted when spent: a second use finds nothing.
   */
  spend(challengeHash: string, ceremony: PasskeyCeremony, now: Date): Promise<PasskeyChallenge | null>;
}
