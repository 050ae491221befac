import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../logging/logger.js';
import { HttpProblemError } from '../http/problem.js';

export interface AdmissionSettings {
  /** The backlog allowed is what the workers finish in this many seconds (0 turns admission off). */
  readonly backlogSeconds: number;
  /** Always allowed, however slowly the workers went lately (an idle system has no rate yet). */
  readonly minBacklog: number;
  /** How often the backlog and the drain rate are read. */
  readonly sampleMs: number;
}

export interface BacklogSample {
  readonly pending: number;
  readonly finished: number;
  /** How long the commands finished in the window waited, accepted to finished (90th percentile, s). */
  readonly waitSeconds?: number;
}

/** Where the backlog is read: the command status table every API process and transport shares. */
export interface BacklogSource {
  backlog(windowSeconds: number, horizonSeconds: number): Promise<BacklogSample>;
}

/** The drain rate is measured over this window; a command pending for longer than the horizon is not counted. */
const RATE_WINDOW_SECONDS = 2;
/**
 * What finishes per second is what the workers can do only while commands wait for them; when
 * callers send less, or wait out a Retry-After, it reads low, and a limit taken from it shrinks
 * with the demand until it refuses an idle system. So a rate once measured is trusted for a while
 * (it fades by e each this many seconds), and replaced at once only when commands wait too long.
 */
const RATE_MEMORY_SECONDS = 30;
/**
 * Refused while what it accepted finished in under half the allowed time and the backlog drains
 * below the limit: the limit was too low, and doubles. A full backlog that clears in under half
 * the allowed time clears twice over within it, so doubling cannot overshoot what the workers do.
 */
const GROWTH_PER_SAMPLE = 1;
const PENDING_HORIZON_SECONDS = 600;
const MAX_RETRY_AFTER_SECONDS = 30;

/**
 * DESIGN.md §4: accepting is cheap and applying is not, so past a backlog the workers cannot
 * clear within `backlogSeconds`, a new command is refused with 503 and `Retry-After` instead of
 * 202. The backlog and the rate at which commands finish are sampled from the database, so every
 * API process sees the same numbers on either transport; commands this process accepted since
 * the last sample count at once, so a burst between samples cannot overshoot.
 */
export class AdmissionControl {
  private pending = 0;
  /** The workers' drain rate as admission believes it: see RATE_MEMORY_SECONDS. */
  private finishedPerSecond = 0;
  private sampledAt: number | null = null;
  private refusedSinceSample = 0;
  private acceptedSinceSample = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly refused: Counter;
  private readonly backlogGauge: Gauge;

  constructor(
    private readonly source: BacklogSource,
    private readonly settings: AdmissionSettings,
    registry: Registry,
    private readonly logger: Logger,
  ) {
    this.refused = new Counter({
      name: 'commands_refused_total',
      help: 'Commands refused with 503 before being accepted, by reason',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.backlogGauge = new Gauge({
      name: 'command_backlog',
      help: 'Commands accepted and not yet finished, as admission control last read them',
      registers: [registry],
    });
  }

  get enabled(): boolean {
    return this.settings.backlogSeconds > 0;
  }

  /** The most commands that may wait: the workers' drain rate, times the allowed seconds. */
  get limit(): number {
    return Math.max(this.settings.minBacklog, Math.floor(this.finishedPerSecond * this.settings.backlogSeconds));
  }

  async start(): Promise<void> {
    if (!this.enabled) return;
    await this.sample();
    this.timer = setInterval(() => {
      this.sample().catch((error: unknown) => this.logger.warn({ err: error }, 'command backlog sample failed'));
    }, this.settings.sampleMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Throws 503 `service_unavailable` with `Retry-After` when one more command would pass the limit. */
  admit(): void {
    // Not started: a role that does not answer clients (a worker's port sends) is not limited.
    if (!this.enabled || this.timer === null) return;
    const backlog = this.pending + this.acceptedSinceSample;
    if (backlog >= this.limit) {
      this.refused.inc({ reason: 'backlog' });
      this.refusedSinceSample += 1;
      const seconds = Math.ceil((backlog - this.limit + 1) / Math.max(this.finishedPerSecond, 1));
      throw HttpProblemError.of(
        'service_unavailable',
        `${backlog} commands are waiting, more than the workers finish in ${this.settings.backlogSeconds} s; try again later`,
        { 'Retry-After': String(Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, seconds))) },
      );
    }
    this.acceptedSinceSample += 1;
  }

  private async sample(): Promise<void> {
    const countedBefore = this.acceptedSinceSample;
    const sample = await this.source.backlog(RATE_WINDOW_SECONDS, PENDING_HORIZON_SECONDS);
    const now = Date.now();
    this.finishedPerSecond = this.drainRate(sample, this.sampledAt === null ? null : (now - this.sampledAt) / 1000);
    this.sampledAt = now;
    this.refusedSinceSample = 0;
    const { pending } = sample;
    this.pending = pending;
    // Admitted while the sample was read: not in `pending` yet. (One still being stored as the
    // sample began is missed once, and one admitted after it began but stored before its query
    // read is counted twice: either way the error is at most the requests in flight.)
    this.acceptedSinceSample -= countedBefore;
    this.backlogGauge.set(pending);
  }

  private drainRate(sample: BacklogSample, elapsedSeconds: number | null): number {
    const measured = sample.finished / RATE_WINDOW_SECONDS;
    const target = this.settings.backlogSeconds;
    const wait = sample.waitSeconds ?? 0;
    // Behind (commands wait longer than allowed, or wait and none finish): the workers are busy, and
    // what they finish is all they can.
    const behind = wait > target || (sample.finished === 0 && sample.pending > 0);
    if (elapsedSeconds === null || behind) return measured;
    const remembered = this.finishedPerSecond * Math.exp(-elapsedSeconds / RATE_MEMORY_SECONDS);
    // Only while the backlog drains below the limit: workers that just stopped cannot inflate it.
    const draining = sample.pending < this.limit && sample.finished > 0;
    const grown =
      this.refusedSinceSample > 0 && draining && wait < target / 2
        ? (this.limit / target) * (1 + GROWTH_PER_SAMPLE)
        : 0;
    return Math.max(measured, remembered, grown);
  }
}
