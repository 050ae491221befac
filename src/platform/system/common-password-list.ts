import { dictionary } from '@zxcvbn-ts/language-common';
import type { CommonPasswordList } from '../../shared/domain/password-policy.js';

/**
 * The ~50,000 most common passwords from breach corpora, as maintained by the zxcvbn-ts project.
 * Held as a Set: a lookup is O(1) and the list costs about 3 MB once per process.
 */
export class ZxcvbnCommonPasswordList implements CommonPasswordList {
  private readonly passwords = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

  contains(password: string): boolean {
    return this.passwords.has(password.toLowerCase());
  }
}
