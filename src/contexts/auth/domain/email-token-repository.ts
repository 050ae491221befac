import type { EmailToken, EmailTokenKind } from './email-token.js';

/** Port: the mailed tokens, by digest. Runs inside the unit of work's transaction. */
export interface EmailTokenRepository {
  insert(token: EmailToken): Promise<void>;
  /** The token with this digest, locked until the transaction ends (two confirms cannot both spend it). */
  findByHash(tokenHash: string): Promise<EmailToken | null>;
  markUsed(token: EmailToken): Promise<void>;
  /** Voids every token of the user of these kinds not yet used: a newer one, a reset or a change of address. */
  voidOutstanding(userId: string, kinds: readonly EmailTokenKind[], now: Date): Promise<number>;
}
