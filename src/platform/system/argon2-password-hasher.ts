import { hash, verify } from '@node-rs/argon2';
import { verify as verifyBcrypt } from '@node-rs/bcrypt';

// @node-rs/argon2 exports `Algorithm` as a const enum, which isolated modules cannot read.
const ARGON2ID = 2;
import type { PasswordHasher } from '../../shared/application/ports/password-hasher.js';

const BCRYPT = /^\$2[abxy]\$\d{2}\$/;

/** OWASP's argon2id baseline (DESIGN.md §7): 19 MiB, 2 passes, 1 lane. */
export const ARGON2_PARAMETERS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * argon2id via @node-rs/argon2, which runs on the libuv thread pool. A semaphore bounds how many
 * hashes run at once, so a burst of sign-ups queues here instead of exhausting memory
 * (19 MiB each) or starving the pool that file and DNS work also need.
 */
export class Argon2PasswordHasher implements PasswordHasher {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly maxConcurrent: number,
    private readonly parameters: { memoryCost: number; timeCost: number; parallelism: number } = ARGON2_PARAMETERS,
  ) {}

  hash(plain: string): Promise<string> {
    return this.bounded(() => hash(plain, { algorithm: ARGON2ID, ...this.parameters }));
  }

  /** Also verifies bcrypt hashes of imported users; `needsRehash` then upgrades them at login. */
  verify(stored: string, plain: string): Promise<boolean> {
    if (BCRYPT.test(stored)) return this.bounded(() => verifyBcrypt(plain, stored).catch(() => false));
    return this.bounded(() => verify(stored, plain).catch(() => false));
  }

  needsRehash(stored: string): boolean {
    const { memoryCost, timeCost, parallelism } = this.parameters;
    return !stored.startsWith(`$argon2id$v=19$m=${memoryCost},t=${timeCost},p=${parallelism}$`);
  }

  private async bounded<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.maxConcurrent) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await work();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}
