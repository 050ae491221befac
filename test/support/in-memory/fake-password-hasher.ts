import type { PasswordHasher } from '../../../src/shared/application/ports/password-hasher.js';

/**
 * `hashed:<plain>` instead of argon2: fast and readable. Every call is recorded, so a test can
 * prove a verification happened (timing parity for unknown emails) and with which hash.
 */
export class FakePasswordHasher implements PasswordHasher {
  readonly hashCalls: string[] = [];
  readonly verifyCalls: { hash: string; plain: string }[] = [];
  /** Hashes made "with old parameters": `needsRehash` answers true for them. */
  readonly outdated = new Set<string>();

  static hashOf(plain: string): string {
    return `hashed:${plain}`;
  }

  async hash(plain: string): Promise<string> {
    this.hashCalls.push(plain);
    return FakePasswordHasher.hashOf(plain);
  }

  async verify(hash: string, plain: string): Promise<boolean> {
    this.verifyCalls.push({ hash, plain });
    return hash === FakePasswordHasher.hashOf(plain);
  }

  needsRehash(hash: string): boolean {
    return this.outdated.has(hash);
  }
}
