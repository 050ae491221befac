import type { Machine } from './machine.js';
import type { ProcessUsage } from './proc.js';

/** What one measurement produced: the rows of the report and of the JSON file. */
export interface ScenarioResult {
  /** Scenario id, with a suffix when it has several measurements (`pipeline-pg:saturation`). */
  readonly id: string;
  readonly scenario: string;
  readonly title: string;
  /** Where it ran: `bare Fastify`, `PostgreSQL + RabbitMQ`, `embedded (PGlite)`… */
  readonly setup: string;
  readonly unit: string;
  /** The throughput figure the ratios use (successful operations per second). */
  readonly rate: number;
  readonly latencyMs: { readonly p50: number | null; readonly p99: number | null };
  readonly durationSeconds: number;
  readonly concurrency: string;
  readonly failures: { readonly count: number; readonly samples: readonly string[] };
  readonly processes: readonly ProcessUsage[];
  readonly loadAverage1m: number;
  /** Measured window (for a pipeline: window and drain) on the monotonic clock, in µs. */
  readonly windowMicros: readonly [number, number];
  readonly details?: Record<string, unknown>;
}

export interface PipelineDetails {
  /** `overload`: a fixed rate of 3× what saturation sustained, to see admission control bound it. */
  readonly mode: 'saturation' | 'fixed' | 'overload';
  readonly offeredRate: number | null;
  readonly connections: number;
  readonly acceptedPerSecond: number;
  /** Answered 503 + Retry-After (the clients waited as told before their next request). */
  readonly refusedPerSecond: number;
  /** Commands whose change reached the read model, per second, during the window. */
  readonly appliedPerSecond: number;
  /**
   * Everything accepted in the window over the time until all of it was visible (window + drain):
   * what the pipeline sustains end to end. Null when the backlog did not drain in time.
   */
  readonly sustainedPerSecond: number | null;
  readonly acceptLatencyMs: { readonly p50: number; readonly p99: number };
  /** Sampled PATCH + `Prefer: wait` requests: from sending until the change is readable. */
  readonly endToEndMs: { readonly count: number; readonly p50: number | null; readonly p99: number | null };
  /** projection_lag_seconds sampled once a second during the window (event written → projected). */
  readonly projectionLagMs: { readonly p50: number | null; readonly max: number | null };
  /** Accepted but not yet applied when the load stopped. */
  readonly backlogAtEnd: number;
  /**
   * Largest backlog seen in each stage during the window (sampled once a second): commands waiting
   * for the worker, events waiting for the relay (outbox), events waiting for the projector.
   */
  readonly peakQueued: { readonly commands: number; readonly outbox: number; readonly projection: number };
  /** Seconds from the end of the load until every accepted command was visible; null: not within the limit. */
  readonly drainSeconds: number | null;
  readonly failedCommands: number;
}

export interface Comparison {
  readonly measure: string;
  readonly value: number;
  readonly unit: string;
  readonly against: string;
  readonly baseline: number;
  /** value / baseline. */
  readonly ratio: number;
  readonly note?: string;
}

export interface BenchReport {
  readonly version: 1;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: Machine;
  readonly loadAverageAtEnd: readonly number[];
  readonly options: {
    readonly durationSeconds: number;
    readonly warmupSeconds: number;
    readonly scenarios: readonly string[];
    readonly profile: boolean;
  };
  readonly service: {
    readonly command: string;
    readonly env: Record<string, string>;
    readonly argon2: Record<string, number>;
    readonly hashConcurrency: number;
    readonly dbPoolSize: number;
    readonly workerConcurrency: number;
  };
  /** The peer of the `peer-*` scenarios, when they ran. */
  readonly peer?: {
    readonly name: string;
    readonly version: string;
    readonly settings: Record<string, string>;
    readonly rounds: number;
  };
  readonly results: readonly ScenarioResult[];
  readonly comparisons: readonly Comparison[];
  readonly skipped: readonly { readonly scenario: string; readonly reason: string }[];
  readonly profiles: readonly { readonly label: string; readonly file: string; readonly summary: string }[];
}
