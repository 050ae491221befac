/** What the orchestrator asks the autocannon child to do (plain JSON: it crosses the IPC channel). */

/**
 * Requests taken round-robin from `items`. In `path` and `body`, `{n}` becomes a counter unique
 * within the child (so sign-ups get fresh emails and profile updates always change something).
 */
export interface CycleRequests {
  readonly kind: 'cycle';
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly headers: Record<string, string>;
  readonly items: readonly { readonly path: string; readonly body?: string }[];
}

/**
 * Refresh-token rotation: every token may be used once. The child keeps a pool (at least one per
 * connection); each request takes one, and each answer's new refresh token goes back into it.
 */
export interface RefreshChain {
  readonly kind: 'refresh-chain';
  readonly path: string;
  readonly tokens: readonly string[];
}

export interface LoadSpec {
  readonly type: 'run';
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  /** Load before the measured window, not counted. */
  readonly warmupSeconds: number;
  /** Requests per second over all connections; unset: as fast as answers come (saturation). */
  readonly overallRate?: number;
  readonly timeoutSeconds?: number;
  readonly requests: CycleRequests | RefreshChain;
}

export interface LoadResult {
  readonly durationSeconds: number;
  readonly requests: number;
  readonly ok: number;
  /** 2xx answers per second: the scenario's throughput. */
  readonly okPerSecond: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly statusCodes: Record<string, number>;
  readonly latencyMs: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
    readonly mean: number;
  };
  /** A few non-2xx answers, to tell what went wrong. */
  readonly sampleFailures: readonly string[];
}
