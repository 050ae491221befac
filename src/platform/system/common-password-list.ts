import { createRequire } from 'node:module';
import type { CommonPasswordList } from '../../shared/domain/password-policy.js';

let common: ReadonlySet<string> | null = null;

/** Built at the first check, not at start: ~50,000 words are a fifth of a second a start need not wait for. */
function commonPasswords(): ReadonlySet<string> {
  if (!common) {
    const { dictionary } = createRequire(import.meta.url)('@zxcvbn-ts/language-common') as {
      dictionary: Record<string, string[]>;
    };
    common = new Set(dictionary['passwords-common']!.map((p) => p.toLowerCase()));
  }
  return common;
}

/**
 * The ~50,000 most common passwords from breach corpora, as maintained by the zxcvbn-ts project.
 * Held as a Set, once per process (about 3 MB): a lookup is O(1).
 */
export class ZxcvbnCommonPasswordList implements CommonPasswordList {
  contains(password: string): boolean {
    return commonPasswords().has(password.toLowerCase());
  }
}
