import { describe, expect, it } from 'vitest';
import {
  QueryBus,
  type Query,
  type QueryHandler,
  type QueryMiddleware,
} from '../../../../src/shared/application/query-bus.js';
import { recording } from '../../../support/middleware.js';

interface Echo extends Query {
  readonly type: 'test.echo';
  readonly text: string;
}

const echoHandler: QueryHandler<Echo, string> = { handle: async (query) => query.text };

describe('QueryBus', () => {
  it('answers a query with the result of the handler registered for its type', async () => {
    const bus = new QueryBus().register('test.echo', echoHandler);
    await expect(bus.ask<string, Echo>({ type: 'test.echo', text: 'hi' })).resolves.toBe('hi');
  });

  it('refuses a second handler for the same type', () => {
    const bus = new QueryBus().register('test.echo', echoHandler);
    expect(() => bus.register('test.echo', echoHandler)).toThrow('a handler for test.echo is already registered');
  });

  it('rejects a query no handler is registered for', async () => {
    await expect(new QueryBus().ask({ type: 'test.unknown' })).rejects.toThrow(
      'no handler is registered for test.unknown',
    );
  });

  it('runs middleware around the handler, the first listed outermost', async () => {
    const trail: string[] = [];
    const bus = new QueryBus([recording('outer', trail), recording('inner', trail)]).register('test.echo', echoHandler);
    await bus.ask<string, Echo>({ type: 'test.echo', text: 'hi' });
    expect(trail).toEqual(['outer:before', 'inner:before', 'inner:after', 'outer:after']);
  });

  it('lets middleware transform the answer', async () => {
    const upper: QueryMiddleware = async (query, next) => String(await next(query)).toUpperCase();
    const bus = new QueryBus([upper]).register('test.echo', echoHandler);
    await expect(bus.ask<string, Echo>({ type: 'test.echo', text: 'hi' })).resolves.toBe('HI');
  });
});
