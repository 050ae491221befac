import type { SessionReader } from '../../../src/contexts/auth/application/auth-ports.js';
import { Session, type SessionSnapshot, type SessionSummary } from '../../../src/contexts/auth/domain/session.js';
import type { SessionRepository } from '../../../src/contexts/auth/domain/session-repository.js';

/** Thrown by `update` when the stored session is not at the version it was loaded at. */
export class StaleSessionError extends Error {
  constructor(id: string, expectedVersion: number) {
    super(`session ${id} was modified concurrently (expected stored version ${expectedVersion})`);
    this.name = 'StaleSessionError';
  }
}

/**
 * Sessions in a Map, with the SQL adapter's guarantees: `update` checks the version, and every
 * token digest a session ever held stays in the index, so a replaced token still finds its session.
 */
export class InMemorySessionRepository implements SessionRepository, SessionReader {
  readonly rows = new Map<string, SessionSnapshot>();
  /** token digest → session id */
  readonly tokens = new Map<string, string>();

  async findByTokenHash(tokenHash: string): Promise<Session | null> {
    const id = this.tokens.get(tokenHash);
    return id === undefined ? null : this.findById(id);
  }

  async findById(id: string): Promise<Session | null> {
    const row = this.rows.get(id);
    return row ? Session.restore(row) : null;
  }

  async findActiveByUser(userId: string, now: Date): Promise<Session[]> {
    return [...this.rows.values()]
      .filter((s) => s.userId === userId && s.revokedAt === null && s.expiresAt > now)
      .map((s) => Session.restore(s));
  }

  async listActive(userId: string, now: Date): Promise<SessionSummary[]> {
    return (await this.findActiveByUser(userId, now))
      .map((s) => s.summary)
      .sort((a, b) => b.lastUsedAt.getTime() - a.lastUsedAt.getTime() || b.id.localeCompare(a.id));
  }

  async insert(session: Session): Promise<void> {
    const s = session.snapshot();
    if (this.rows.has(s.id)) throw new Error(`duplicate session id ${s.id}`);
    if (this.tokens.has(s.currentTokenHash)) throw new Error(`duplicate token digest ${s.currentTokenHash}`);
    this.rows.set(s.id, s);
    this.tokens.set(s.currentTokenHash, s.id);
  }

  async update(session: Session): Promise<void> {
    const s = session.snapshot();
    const stored = this.rows.get(s.id);
    if (!stored || stored.version !== session.persistedVersion) {
      throw new StaleSessionError(s.id, session.persistedVersion);
    }
    this.rows.set(s.id, s);
    if (!this.tokens.has(s.currentTokenHash)) this.tokens.set(s.currentTokenHash, s.id);
  }

  /** The stored state, for assertions. */
  stored(id: string): SessionSnapshot | undefined {
    return this.rows.get(id);
  }
}
