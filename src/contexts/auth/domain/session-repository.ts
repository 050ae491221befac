import type { Session } from './session.js';

/** Port: sessions and every refresh-token digest they ever issued (for reuse detection). */
export interface SessionRepository {
  /** The session that issued this token digest, current or replaced; null when unknown. */
  findByTokenHash(tokenHash: string): Promise<Session | null>;
  findById(id: string): Promise<Session | null>;
  findActiveByUser(userId: string, now: Date): Promise<Session[]>;
  insert(session: Session): Promise<void>;
  /** Saves state and registers the current token digest; fails on a stale version. */
  update(session: Session): Promise<void>;
}
