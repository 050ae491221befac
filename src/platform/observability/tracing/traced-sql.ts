import { context, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';

/**
 * Wraps a PostgreSQL driver client (a `pg` Pool or PoolClient, a PGlite instance or transaction)
 * so that every statement drizzle sends through it becomes a CLIENT span.
 *
 * Written by hand because `@opentelemetry/instrumentation-pg` patches `pg` through a `require`
 * hook, which does not see the ESM imports this service runs under tsx or as compiled ESM, and
 * does not know PGlite at all. Wrapping the client the `Database` hands to drizzle covers both
 * engines, the query builder and raw SQL alike.
 *
 * A statement gets a span only inside a traced piece of work (an HTTP request, a message being
 * handled): the queue's and the relay's polling would otherwise open a new trace every 100 ms.
 */
export function tracedSqlClient<T extends object>(client: T, tracer: Tracer): T {
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      switch (property) {
        case 'query':
        case 'exec':
          return (...args: unknown[]) => traceStatement(tracer, args[0], () => method.apply(target, args));
        case 'connect':
          // pg.Pool#connect hands out the client a transaction runs on.
          return (...args: unknown[]) => {
            const result = method.apply(target, args);
            return isThenable(result)
              ? result.then((pooled) => (isObject(pooled) ? tracedSqlClient(pooled, tracer) : pooled))
              : result;
          };
        case 'transaction':
          // PGlite#transaction hands its callback the transaction's own client.
          return (work: (tx: unknown) => unknown, ...rest: unknown[]) =>
            method.call(target, (tx: unknown) => work(isObject(tx) ? tracedSqlClient(tx, tracer) : tx), ...rest);
        default:
          return method.bind(target);
      }
    },
  });
}

export interface StatementSummary {
  /** Span name: operation and table, e.g. `INSERT messaging.outbox`. */
  readonly name: string;
  readonly operation: string;
  readonly table?: string;
  /** The SQL text with whitespace collapsed, string literals replaced by `?`, at most 500 characters. */
  readonly statement: string;
}

const MAX_STATEMENT = 500;

/**
 * What a span may say about a statement. Values are never in it: drizzle sends them as bound
 * parameters (`$1`), which are not recorded, and literals in the text are masked as well.
 */
export function summarizeStatement(sql: string): StatementSummary {
  const statement = sql
    .replace(/'(?:[^']|'')*'/g, "'?'")
    .replace(/\s+/g, ' ')
    .trim();
  const operation = (/^\(?\s*([a-z]+)/i.exec(statement)?.[1] ?? 'SQL').toUpperCase();
  const tablePattern =
    operation === 'INSERT'
      ? /\binto\s+("?[\w.]+"?(?:\."?\w+"?)?)/i
      : operation === 'UPDATE'
        ? /^update\s+("?[\w.]+"?(?:\."?\w+"?)?)/i
        : /\bfrom\s+("?[a-z_][\w.]*"?(?:\."?\w+"?)?)/i;
  const table = tablePattern.exec(statement)?.[1]?.replace(/"/g, '');
  return {
    name: table ? `${operation} ${table}` : operation,
    operation,
    ...(table && { table }),
    statement: statement.length > MAX_STATEMENT ? `${statement.slice(0, MAX_STATEMENT)}…` : statement,
  };
}

function traceStatement(tracer: Tracer, query: unknown, run: () => unknown): unknown {
  const parent = context.active();
  if (trace.getSpan(parent) === undefined) return run();
  const text = typeof query === 'string' ? query : isObject(query) ? (query as { text?: unknown }).text : undefined;
  const summary = summarizeStatement(typeof text === 'string' ? text : '');
  const span = tracer.startSpan(
    summary.name,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system': 'postgresql',
        'db.operation': summary.operation,
        'db.statement': summary.statement,
        ...(summary.table && { 'db.sql.table': summary.table }),
      },
    },
    parent,
  );
  let result: unknown;
  try {
    result = run();
  } catch (error) {
    failed(span, error);
    throw error;
  }
  if (!isThenable(result)) {
    span.end();
    return result;
  }
  return result.then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      failed(span, error);
      throw error;
    },
  );
}

function failed(span: Span, error: unknown): void {
  const code =
    isObject(error) && typeof (error as { code?: unknown }).code === 'string'
      ? (error as { code: string }).code
      : undefined;
  if (code) span.setAttribute('db.response.status_code', code);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  span.end();
}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return isObject(value) && typeof (value as { then?: unknown }).then === 'function';
}
