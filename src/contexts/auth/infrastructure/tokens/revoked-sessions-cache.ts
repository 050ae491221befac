import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../../../platform/logging/logger.js';
import type { PostgresRevocationLog, RevocationRead, RevokedSessions } from '../persistence/postgres-revocation-log.js';

export interface RevocationTiming {
  /** How often the cache reads what was revoked. */
  readonly pollMs: number;
  /** A cache whose last good read began longer ago refuses every token (it may have missed one). */
  readonly failClosedAfterMs: number;
  /** A reader silent for longer is not waited for: by then it refuses every token itself. */
  readonly deadAfterMs: number;
}

/**
 * A reader fails closed after missing a dozen reads (at least 3 s, so a stalled event loop does
 * not refuse at once), and is given up on 2 s after that, when it surely refuses by itself.
 */
export function revocationTiming(pollMs: number): RevocationTiming {
  const failClosedAfterMs = Math.max(3_000, pollMs * 12);
  return { pollMs, failClosedAfterMs, deadAfterMs: failClosedAfterMs + 2_000 };
}

/**
 * Which sessions are revoked, kept in memory so checking a bearer token costs no query. Every read
 * is reported to the database (the reader's snapshot), so an answer that revoked something can
 * wait, with `settle`, until every API process has read it: API.md's "refused at once". Entries
 * are dropped once no access token of theirs can still be valid.
 */
export class RevokedSessionsCache {
  private readonly revoked = new Map<string, number>();
  private readonly readerId = randomUUID();
  private xmin: string | null = null;
  private lastGoodReadStartedAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | null = null;
  private readAgain: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly log: PostgresRevocationLog,
    private readonly accessTokenLifetimeSeconds: number,
    private readonly logger: Logger,
    private readonly timing: RevocationTiming = revocationTiming(250),
  ) {}

  async start(): Promise<void> {
    await this.log.forgetSilentReaders();
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) => this.logger.warn({ err: error }, 'revoked-session poll failed'));
    }, this.timing.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // A read still under way would otherwise report this reader again after it left.
    await Promise.allSettled([this.reading, this.readAgain]);
    await this.log.leave(this.readerId).catch(() => undefined);
  }

  isRevoked(sessionId: string): boolean {
    return this.revoked.has(sessionId);
  }

  /** False when this process may have missed a revocation: its last good read is too old. */
  get current(): boolean {
    return performance.now() - this.lastGoodReadStartedAt < this.timing.failClosedAfterMs;
  }

  /**
   * Resolves once every live API process has read the revocation of `sessions` (made after the
   * oldest token that could still be valid). Costs one query when nothing of theirs was revoked.
   */
  async settle(sessions: RevokedSessions): Promise<void> {
    const since = new Date(Date.now() - this.accessTokenLifetimeSeconds * 1000);
    const deadline = performance.now() + this.timing.deadAfterMs + this.timing.pollMs * 4;
    if ('sessionIds' in sessions) for (const id of sessions.sessionIds) this.revoked.set(id, Date.now());
    while ((await this.log.readersBehind(sessions, since, this.timing.deadAfterMs)) > 0) {
      if (performance.now() > deadline) {
        this.logger.warn({ sessions }, 'revocation readers still behind after the dead-reader limit');
        return;
      }
      await Promise.all([this.refresh(), sleep(10)]);
    }
  }

  /** A read that begins after this call (joining the next one if a read is under way). */
  refresh(): Promise<void> {
    if (!this.reading) {
      this.reading = this.read().finally(() => (this.reading = null));
      return this.reading;
    }
    this.readAgain ??= this.reading.then(
      () => this.refreshNow(),
      () => this.refreshNow(),
    );
    return this.readAgain;
  }

  private refreshNow(): Promise<void> {
    this.readAgain = null;
    return this.refresh();
  }

  private async read(): Promise<void> {
    const startedAt = performance.now();
    const read: RevocationRead =
      this.xmin === null
        ? await this.log.readSince(new Date(Date.now() - this.accessTokenLifetimeSeconds * 1000))
        : await this.log.readAfter(this.xmin);
    for (const row of read.revoked) this.revoked.set(row.id, row.revokedAt.getTime());
    this.xmin = read.xmin;
    // Only once the revocations are in memory may others be told they were read.
    if (this.stopped) return;
    await this.log.heartbeat(this.readerId, read.snapshot);
    this.lastGoodReadStartedAt = startedAt;
    const horizon = Date.now() - (this.accessTokenLifetimeSeconds + 60) * 1000;
    for (const [id, at] of this.revoked) if (at < horizon) this.revoked.delete(id);
  }
}
