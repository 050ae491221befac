import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { deadLetterQueue } from '../../messaging/topology.js';

/** What a queue-owning role can report about a queue at scrape time (the transport port's `depth`). */
export interface QueueDepthSource {
  depth(queue: string): Promise<number>;
}

export interface OutboxBacklog {
  readonly pending: number;
  readonly oldestPendingAgeSeconds: number;
}

export interface ProjectionCheckpoint {
  readonly projection: string;
  readonly position: number;
}

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const WORK_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const DB_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * Every metric the service exposes, in a registry owned by this object rather than prom-client's
 * global one: a test can run several services in one process, and each keeps its own numbers.
 *
 * State that lives in the database or the broker (queue depth, outbox backlog, projection position)
 * is read when Prometheus scrapes, so the numbers are as fresh as the scrape and cost nothing in
 * between. Each role registers only what it owns, so split deployments do not report a queue four
 * times.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = this.counter('http_requests_total', 'HTTP requests answered', [
    'method',
    'route',
    'status_code',
  ]);
  readonly httpDuration = this.histogram(
    'http_request_duration_seconds',
    'Time to answer an HTTP request, by route template',
    ['method', 'route', 'status_code'],
    HTTP_BUCKETS,
  );
  readonly httpInProgress = new Gauge({
    name: 'http_requests_in_progress',
    help: 'HTTP requests being answered right now',
    registers: [this.registry],
  });

  /** Commands and queries the buses ran: `<kind>_processing_total` and `<kind>_processing_duration_seconds`. */
  readonly handled = {
    command: this.work('command', 'Commands handled', 'Time a command handler took (inside the worker transaction)'),
    query: this.work('query', 'Queries answered', 'Time a query handler took'),
  };
  readonly dbDuration = this.histogram(
    'db_operation_duration_seconds',
    'Time of a storage operation, by adapter method and table',
    ['operation', 'table'],
    DB_BUCKETS,
  );

  readonly dbOperations = this.counter(
    'db_operations_total',
    'Storage operations, by adapter method, table and outcome',
    ['operation', 'table', 'status'],
  );

  readonly published = this.counter('messages_published_total', 'Messages handed to the transport', [
    'destination',
    'status',
  ]);
  readonly consumed = this.counter('messages_consumed_total', 'Deliveries handled, by disposition', [
    'queue',
    'status',
  ]);

  readonly projectionLag = new Gauge({
    name: 'projection_lag_seconds',
    help: 'For the last event a projection applied: seconds from the event occurring to it being applied',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly errors = this.counter('application_errors_total', 'Errors reported by the application, by stable code', [
    'component',
    'code',
  ]);

  private readonly operationCounters = new Map<string, Counter<'operation' | 'status'>>();
  private readonly queueSources = new Map<string, QueueDepthSource>();
  private outboxSource: (() => Promise<OutboxBacklog>) | null = null;
  private projectionSource: (() => Promise<readonly ProjectionCheckpoint[]>) | null = null;
  private outboxReading: { at: number; value: Promise<OutboxBacklog | null> } | null = null;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.scraped('queue_depth', 'Messages waiting in a work queue', ['queue'], (gauge) =>
      this.readQueues(gauge, (queue) => queue),
    );
    this.scraped('dlq_depth', 'Messages in the dead-letter queue of a work queue', ['queue'], (gauge) =>
      this.readQueues(gauge, deadLetterQueue),
    );
    this.scraped(
      'projection_position',
      'Outbox position of the last event a projection checkpointed',
      ['projection'],
      async (gauge) => {
        if (!this.projectionSource) return;
        try {
          for (const { projection, position } of await this.projectionSource()) gauge.set({ projection }, position);
        } catch {
          this.errors.inc({ component: 'metrics', code: 'projection_read_failed' });
        }
      },
    );
  }

  /** A context's operations counter (its manifest's `operationsMetric`), created on first use. */
  operations(name: string): Counter<'operation' | 'status'> {
    let counter = this.operationCounters.get(name);
    if (!counter) {
      counter = this.counter(name, 'Commands and queries of one context, by operation and outcome', [
        'operation',
        'status',
      ]);
      this.operationCounters.set(name, counter);
    }
    return counter;
  }

  /** This role consumes these queues: report their depth and their dead-letter queue's depth. */
  watchQueues(source: QueueDepthSource, queues: readonly string[]): void {
    for (const queue of queues) this.queueSources.set(queue, source);
  }

  /**
   * This role relays the outbox: report its backlog. The gauges exist only from here on, because
   * an unlabelled gauge always shows a value and the other roles would report a backlog of 0.
   */
  watchOutbox(read: () => Promise<OutboxBacklog>): void {
    const first = this.outboxSource === null;
    this.outboxSource = read;
    if (!first) return;
    // NaN when the read fails: an unlabelled gauge cannot be absent, and 0 would claim "no backlog".
    this.scraped('outbox_pending', 'Outbox events not yet published by the relay', [], async (gauge) => {
      gauge.set((await this.readOutbox())?.pending ?? Number.NaN);
    });
    this.scraped(
      'outbox_oldest_pending_age_seconds',
      'Age of the oldest unpublished outbox event, 0 when none',
      [],
      async (gauge) => {
        gauge.set((await this.readOutbox())?.oldestPendingAgeSeconds ?? Number.NaN);
      },
    );
  }

  /** Report how many of the database's connections are checked out right now (read at scrape time). */
  watchConnections(inUse: () => number): void {
    this.scraped('db_connections_active', 'Database connections in use by this process', [], async (gauge) => {
      gauge.set(inUse());
    });
  }

  /** This role runs projections: report their checkpoints. */
  watchProjections(read: () => Promise<readonly ProjectionCheckpoint[]>): void {
    this.projectionSource = read;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  private counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  /** Work counted by outcome and timed, labelled by type under the kind's name (any string: the buses pick it). */
  private work(kind: 'command' | 'query', counted: string, timed: string) {
    const labels: string[] = [kind];
    return {
      total: this.counter(`${kind}_processing_total`, `${counted}, by outcome`, [...labels, 'status']),
      duration: this.histogram(`${kind}_processing_duration_seconds`, timed, labels, WORK_BUCKETS),
    };
  }

  private histogram<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets: readonly number[],
  ): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets: [...buckets], registers: [this.registry] });
  }

  /** A gauge read when Prometheus scrapes; it starts empty each time, so a failed read leaves no stale value. */
  private scraped<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    read: (gauge: Gauge<L>) => Promise<void>,
  ): void {
    new Gauge({
      name,
      help: `${help} (read at scrape time)`,
      labelNames,
      registers: [this.registry],
      collect() {
        this.reset();
        return read(this);
      },
    });
  }

  private async readQueues(gauge: Gauge<'queue'>, physical: (queue: string) => string): Promise<void> {
    await Promise.all(
      [...this.queueSources].map(async ([queue, source]) => {
        try {
          gauge.set({ queue }, await source.depth(physical(queue)));
        } catch {
          // An absent series (not a stale number) tells the dashboard the depth is unknown right now.
          this.errors.inc({ component: 'metrics', code: 'queue_depth_failed' });
        }
      }),
    );
  }

  /** Both outbox gauges come from one query per scrape. */
  private readOutbox(): Promise<OutboxBacklog | null> {
    const read = this.outboxSource;
    if (!read) return Promise.resolve(null);
    const now = performance.now();
    if (!this.outboxReading || now - this.outboxReading.at > 500) {
      this.outboxReading = {
        at: now,
        value: read().catch(() => {
          this.errors.inc({ component: 'metrics', code: 'outbox_read_failed' });
          return null;
        }),
      };
    }
    return this.outboxReading.value;
  }
}
