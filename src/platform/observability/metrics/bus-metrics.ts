import type { CommandMiddleware } from '../../../shared/application/command-bus.js';
import type { QueryMiddleware } from '../../../shared/application/query-bus.js';
import { DomainError } from '../../../shared/domain/domain-error.js';
import type { Metrics } from './metrics.js';

/** `rejected`: a business rule said no (a final answer); `error`: anything unexpected (retried, or a 500). */
export type WorkStatus = 'success' | 'rejected' | 'error';

/** Which context's operations metric counts a command or query type (from its manifest), if any. */
export type OperationsOf = (type: string) => { metric: string; operation: string } | null;

/** Every command is counted and timed once here, so handlers never mention metrics. */
export function meteredCommands(metrics: Metrics, operations: OperationsOf): CommandMiddleware {
  return metered(metrics, operations, 'command');
}

export function meteredQueries(metrics: Metrics, operations: OperationsOf): QueryMiddleware {
  return metered(metrics, operations, 'query');
}

function metered(metrics: Metrics, operations: OperationsOf, kind: 'command' | 'query') {
  return async <W extends { readonly type: string }, R>(work: W, next: (work: W) => Promise<R>): Promise<R> => {
    const stopTimer = metrics.handled[kind].duration.startTimer({ [kind]: work.type });
    try {
      const result = await next(work);
      record(metrics, operations, kind, work.type, 'success');
      return result;
    } catch (error) {
      record(metrics, operations, kind, work.type, statusOf(error), error);
      throw error;
    } finally {
      stopTimer();
    }
  };
}

function statusOf(error: unknown): WorkStatus {
  return error instanceof DomainError ? 'rejected' : 'error';
}

function record(
  metrics: Metrics,
  operations: OperationsOf,
  kind: 'command' | 'query',
  type: string,
  status: WorkStatus,
  error?: unknown,
): void {
  metrics.handled[kind].total.inc({ [kind]: type, status });
  // The bus only runs registered types, so `operation` stays a short, fixed list.
  const counted = operations(type);
  if (counted) metrics.operations(counted.metric).inc({ operation: counted.operation, status });
  if (error !== undefined) {
    metrics.errors.inc({ component: kind, code: error instanceof DomainError ? error.code : 'unexpected' });
  }
}
