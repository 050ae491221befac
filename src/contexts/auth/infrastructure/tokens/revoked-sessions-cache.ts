import type { Logger } from '../../../../platform/logging/logger.js';
import type { PostgresSessionRepository } from '../persistence/postgres-session-repository.js';

/**
 * Which sessions are revoked, kept in memory so checking a bearer token costs no query. A
 * revocation made in this process is known at once; one made elsewhere (another API replica, the
 * event consumer) arrives with the next incremental poll, by default within a quarter of a second.
 * Entries are dropped once no access token of theirs can still be valid.
 */
export class RevokedSessionsCache {
  private readonly revoked = new Map<string, number>();
  private watermark: Date;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly sessions: PostgresSessionRepository,
    private readonly accessTokenLifetimeSeconds: number,
    private readonly logger: Logger,
    private readonly pollMs = 250,
  ) {
    this.watermark = new Date(Date.now() - accessTokenLifetimeSeconds * 1000);
  }

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) => this.logger.warn({ err: error }, 'revoked-session poll failed'));
    }, this.pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  add(sessionIds: readonly string[]): void {
    for (const id of sessionIds) this.revoked.set(id, Date.now());
  }

  isRevoked(sessionId: string): boolean {
    return this.revoked.has(sessionId);
  }

  async refresh(): Promise<void> {
    const rows = await this.sessions.revokedSince(this.watermark);
    for (const row of rows) {
      this.revoked.set(row.id, row.revokedAt.getTime());
      if (row.revokedAt > this.watermark) this.watermark = row.revokedAt;
    }
    const horizon = Date.now() - (this.accessTokenLifetimeSeconds + 60) * 1000;
    for (const [id, at] of this.revoked) if (at < horizon) this.revoked.delete(id);
  }
}
