import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { ContextCatalogue, type AnyManifest } from '../../../src/platform/context/context-catalogue.js';
import { manifestProblems } from '../../../src/platform/context/manifest-check.js';
import { PoisonMessageError } from '../../../src/platform/messaging/retry-policy.js';
import { greetingsContext } from '../../fixtures/greetings/greetings.context.js';

const handler = () => ({ handle: async () => ({ resourceId: 'x', version: 1 }) });
const schema = (type: string) => Type.Object({ type: Type.Literal(type) });

function context(overrides: Partial<AnyManifest> = {}): AnyManifest {
  return {
    name: 'shop',
    description: 'a test context',
    worker: () => ({}),
    commands: { 'shop.place_order': { schema: schema('shop.place_order'), handler } },
    events: ['shop.order.placed'],
    consumers: [{ queue: 'shop.mailer', subscribesTo: ['shop.order.#'], handler: () => async () => undefined }],
    api: async () => ({}),
    routes: [{ sends: ['shop.place_order'], register: () => undefined }],
    tables: {},
    errors: { out_of_stock: { status: 409, title: 'Out of stock' } },
    ...overrides,
  };
}

describe('the manifests check at start', () => {
  it('accepts manifests that hold together', () => {
    expect(manifestProblems([context(), greetingsContext as AnyManifest])).toEqual([]);
  });

  it.each([
    ['a command no route or port sends', { routes: [] }, 'shop.place_order is declared but no route or port sends it'],
    [
      'a route sending an undeclared command',
      { routes: [{ sends: ['shop.place_order', 'shop.cancel'], register: () => undefined }] },
      'shop.cancel is sent but no context declares it',
    ],
    [
      'a schema whose type is not the command',
      { commands: { 'shop.place_order': { schema: schema('shop.other'), handler } } },
      `shop.place_order's schema must fix "type" to the literal "shop.place_order"`,
    ],
    [
      'a command without a handler',
      { commands: { 'shop.place_order': { schema: schema('shop.place_order') } } },
      'shop.place_order has no handler',
    ],
    [
      'an event named for another context',
      { events: ['users.user.created'] },
      'users.user.created is declared by shop',
    ],
    ['an error code the platform owns', { errors: { not_found: { status: 404, title: 'x' } } }, 'error code not_found'],
    [
      'a reaction to an event nobody publishes',
      { reactions: [{ on: ['shop.order.placd'], handler: () => async () => undefined }] },
      'shop reacts to shop.order.placd, which no context publishes',
    ],
  ])('refuses %s', (_what, overrides, message) => {
    expect(manifestProblems([context(overrides as Partial<AnyManifest>)]).join('\n')).toContain(message);
  });

  it('refuses two contexts with one name, one queue or one error code, all reported together', () => {
    const problems = manifestProblems([context(), context()]);
    expect(problems).toEqual(
      expect.arrayContaining([
        'context shop is declared twice',
        'queue shop.mailer is declared twice',
        'error code out_of_stock of shop is already declared by shop',
      ]),
    );
    expect(() => new ContextCatalogue([context(), context()])).toThrow(/do not hold together/);
  });
});

describe('what the catalogue derives from the manifests', () => {
  const catalogue = new ContextCatalogue([context(), greetingsContext as AnyManifest]);

  it('gives each context with commands one command queue, and each consumer its own bound queue', () => {
    expect(catalogue.topology.commandQueues).toEqual(['shop.commands', 'greetings.commands']);
    expect(catalogue.topology.queueForCommand('shop.place_order')).toBe('shop.commands');
    expect(catalogue.topology.queuesForEvent('shop.order.placed')).toEqual(['shop.mailer']);
    expect(catalogue.topology.workQueues).toEqual([
      'shop.commands',
      'greetings.commands',
      'shop.mailer',
      'greetings.inbox',
    ]);
    expect(() => catalogue.topology.queueForCommand('shop.unknown')).toThrow(/no context declares/);
  });

  it('adds every context error code to the platform problem table', () => {
    expect(catalogue.problems.problem('out_of_stock', 'none left')).toMatchObject({
      status: 409,
      code: 'out_of_stock',
    });
    expect(catalogue.problems.problem('validation_failed', 'bad').status).toBe(400);
    expect(catalogue.problems.problem('never_declared', 'oops').status).toBe(500);
  });

  it('names one OpenAPI tag per context, then the platform’s', () => {
    expect(catalogue.tags.map((t) => t.name)).toEqual(['shop', 'greetings', 'commands', 'operations']);
  });

  it('runs every context reaction to an event type, in manifest order, building each worker once', async () => {
    const seen: string[] = [];
    let workersBuilt = 0;
    const reacting = (name: string): AnyManifest =>
      context({
        name,
        commands: {},
        consumers: [],
        routes: [],
        errors: {},
        events: [`${name}.thing.happened`],
        worker: () => ({ name, built: ++workersBuilt }),
        reactions: [
          {
            on: ['first.thing.happened'],
            handler: (w: { name: string }) => async (event) => void seen.push(`${w.name}:${event.aggregateId}`),
          },
        ],
      });
    const react = new ContextCatalogue([reacting('first'), reacting('second')]).reactionsIn({} as never);
    const event = (type: string, aggregateId: string) =>
      ({ type, aggregateId, version: 1, aggregateVersion: 1, data: {}, occurredAt: new Date() }) as never;

    expect(workersBuilt).toBe(0);
    await react(event('first.thing.happened', 'a'));
    await react(event('second.thing.happened', 'b'));
    await react(event('first.thing.happened', 'c'));

    expect(seen).toEqual(['first:a', 'second:a', 'first:c', 'second:c']);
    expect(workersBuilt).toBe(2);
  });

  it('checks a command message against its schema: unknown or malformed is poison', () => {
    expect(catalogue.parseCommand({ type: 'shop.place_order' })).toEqual({ type: 'shop.place_order' });
    expect(() => catalogue.parseCommand({ type: 'shop.nope' })).toThrow(PoisonMessageError);
    expect(() => catalogue.parseCommand({ type: 'greetings.send_greeting', to: 3 })).toThrow(PoisonMessageError);
  });
});
