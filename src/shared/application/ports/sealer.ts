/**
 * Authenticated encryption of a short secret that must travel or rest where it could be read (an
 * event in the outbox, a queue message, a TOTP secret in a row): only a holder of the key opens it.
 */
export interface Sealer {
  seal(plaintext: string): string;
  /** Throws when the box was altered or no key of the ring opens it. */
  unseal(sealed: string): string;
}
