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
  return async (command, next) => {
    const stopTimer = metrics.commandDuration.startTimer({ command: command.type });
    try {
      const result = await next(command);
      record(metrics, operations, 'command', command.type, 'success');
      return result;
    } catch (error) {
      record(metrics, operations, 'command', command.type, statusOf(error), error);
      throw error;
    } finally {
      stopTimer();
    }
  };
}

export function meteredQueries(metrics: Metrics, operations: OperationsOf): QueryMiddleware {
  return async (query, next) => {
    const stopTimer = metrics.queryDuration.startTimer({ query: query.type });
    try {
      const result = await next(query);
      record(metrics, operations, 'query', query.type, 'success');
      return result;
    } catch (error) {
      record(metrics, operations, 'query', query.type, statusOf(error), error);
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
  if (kind === 'command') metrics.commands.inc({ command: type, status });
  else metrics.queries.inc({ query: type, status });
  // The bus only runs registered types, so `operation` stays a short, fixed list.
  const counted = operations(type);
  if (counted) metrics.operations(counted.metric).inc({ operation: counted.operation, status });
  if (error !== undefined) {
    metrics.errors.inc({ component: kind, code: error instanceof DomainError ? error.code : 'unexpected' });
  }
}
