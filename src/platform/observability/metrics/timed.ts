import type { Metrics } from './metrics.js';

/** Wraps a storage adapter so each of its calls is timed; adapters stay free of metrics code. */
export type Instrument = <T extends object>(table: string, target: T, methods?: readonly (keyof T & string)[]) => T;

/**
 * A proxy that observes `db_operation_duration_seconds{operation=<method>,table}` and counts
 * `db_operations_total{operation,table,status}` around every
 * promise-returning method called through it (or only `methods`, when given). Methods run with the
 * adapter itself as `this`, so an adapter calling its own helpers is not counted twice.
 */
export function timed<T extends object>(
  metrics: Metrics,
  table: string,
  target: T,
  methods?: readonly (keyof T & string)[],
): T {
  const only = methods ? new Set<string>(methods) : null;
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || property === 'constructor') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (only && !only.has(property)) return method.bind(object);
      return (...args: unknown[]) => {
        const started = performance.now();
        const result = method.apply(object, args);
        if (!(result instanceof Promise)) return result;
        const observe = (status: 'success' | 'error') => {
          metrics.dbDuration.observe({ operation: property, table }, (performance.now() - started) / 1000);
          metrics.dbOperations.inc({ operation: property, table, status });
        };
        return result.then(
          (value: unknown) => {
            observe('success');
            return value;
          },
          (error: unknown) => {
            observe('error');
            throw error;
          },
        );
      };
    },
  });
}

export function instrumentWith(metrics: Metrics): Instrument {
  return (table, target, methods) => timed(metrics, table, target, methods);
}
