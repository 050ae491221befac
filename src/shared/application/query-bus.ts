export interface Query {
  readonly type: string;
}

export interface QueryHandler<Q extends Query = Query, R = unknown> {
  handle(query: Q): Promise<R>;
}

export type QueryMiddleware = (query: Query, next: (query: Query) => Promise<unknown>) => Promise<unknown>;

/** Dispatches a query to its handler; the same middleware idea as the CommandBus. */
export class QueryBus {
  private readonly handlers = new Map<string, QueryHandler>();

  constructor(private readonly middleware: readonly QueryMiddleware[] = []) {}

  register<Q extends Query, R>(type: Q['type'], handler: QueryHandler<Q, R>): this {
    if (this.handlers.has(type)) throw new Error(`a handler for ${type} is already registered`);
    this.handlers.set(type, handler as unknown as QueryHandler);
    return this;
  }

  async ask<R, Q extends Query = Query>(query: Q): Promise<R> {
    const handler = this.handlers.get(query.type);
    if (!handler) throw new Error(`no handler is registered for ${query.type}`);
    const run = this.middleware.reduceRight<(q: Query) => Promise<unknown>>(
      (next, mw) => (q) => mw(q, next),
      (q) => handler.handle(q),
    );
    return run(query) as Promise<R>;
  }
}
