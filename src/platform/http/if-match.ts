import { ValidationError } from '../../shared/domain/domain-error.js';

/** `If-Match: "3"` (also `W/"3"` or a bare `3`): the version the client read. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) throw new ValidationError('If-Match', 'must be the quoted version from the ETag, like "3"');
  return Number(match[1]);
}
