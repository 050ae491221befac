import { ValidationError } from '../../shared/domain/domain-error.js';

// RFC 9110 §8.8.3: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text.
const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/;

/**
 * `If-Match` as RFC 9110 §13.1.1 reads it, for resources whose ETag is their version (`"3"`):
 * undefined when absent or `*` (any current representation matches), otherwise the versions a
 * strong comparison can match. A weak tag (`W/"3"`) or one that is not a version never matches,
 * so it contributes nothing, and a list of only those matches nothing (412). A value that is not
 * `*` or a list of entity tags (a bare `3`) is a malformed header: 400.
 */
export function parseIfMatch(header: string | undefined): number[] | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return undefined;
  const versions: number[] = [];
  for (const member of header.split(',')) {
    const match = ENTITY_TAG.exec(member.trim());
    if (!match) throw new ValidationError('If-Match', 'must be * or quoted entity tags from the ETag, like "3"');
    if (!match[1] && /^\d{1,9}$/.test(match[2]!)) versions.push(Number(match[2]));
  }
  return versions;
}
