import { ValidationError } from '../../../../shared/domain/domain-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Keyset pagination: the cursor names the last id of the previous page. It is opaque to clients
 * (base64url JSON) so the key can change without breaking them.
 */
export const Cursor = {
  encode(lastId: string): string {
    return Buffer.from(JSON.stringify({ after: lastId })).toString('base64url');
  },

  decode(cursor: string): string {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      const after = (parsed as { after?: unknown } | null)?.after;
      if (typeof after === 'string' && UUID.test(after)) return after;
    } catch {
      // fall through: any undecodable cursor is the client's mistake, not ours
    }
    throw new ValidationError('cursor', 'is not a cursor this API issued');
  },
};
