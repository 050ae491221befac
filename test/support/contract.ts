import { afterAll, beforeAll, describe } from 'vitest';
import { openEngine, type TestEngine } from './engines.js';
import { postgresAvailable } from './postgres.js';

// Loaded only by suites that run on RabbitMQ: it brings in the contexts' topology.
const rabbitmq = () => import('./rabbitmq.js');

/** What a port's adapters run on. */
export type Engine = 'in-memory' | 'pglite' | 'postgres' | 'rabbitmq';

export const ENGINE_LABELS: Readonly<Record<Engine, string>> = {
  'in-memory': 'in memory',
  pglite: 'PGlite',
  postgres: 'PostgreSQL',
  rabbitmq: 'RabbitMQ',
};

/** A topology of the suite's own on the shared broker: every name under `prefix`, all deleted after. */
export interface TestBroker {
  readonly url: string;
  readonly prefix: string;
}

/** What each engine hands an adapter's setup: opened for that one suite, and closed after it. */
export interface EngineResources {
  readonly 'in-memory': null;
  /** A migrated, empty database. */
  readonly pglite: TestEngine;
  readonly postgres: TestEngine;
  readonly rabbitmq: TestBroker;
}

/**
 * How to build the subject under test on each engine. A setup returns a plain object of what the
 * tests use; a `close` in it runs after the suite, before the engine is closed.
 */
export type Adapters<T> = { readonly [E in Engine]?: (resources: EngineResources[E]) => T | Promise<T> };

interface Opened<E extends Engine> {
  readonly resources: EngineResources[E];
  close(): Promise<void>;
}

const OPEN: { readonly [E in Engine]: () => Promise<Opened<E>> } = {
  'in-memory': async () => ({ resources: null, close: async () => undefined }),
  pglite: async () => {
    const engine = await openEngine('pglite');
    return { resources: engine, close: () => engine.close() };
  },
  postgres: async () => {
    const engine = await openEngine('postgres');
    return { resources: engine, close: () => engine.close() };
  },
  rabbitmq: async () => {
    const { AMQP_URL, deleteTopology, uniquePrefix } = await rabbitmq();
    const prefix = uniquePrefix();
    return { resources: { url: AMQP_URL, prefix }, close: () => deleteTopology(prefix) };
  },
};

/** Locally a server that does not answer skips its suites; with CI=true these throw instead, so the run fails. */
const REACHABLE: Readonly<Record<Engine, () => Promise<boolean>>> = {
  'in-memory': async () => true,
  pglite: async () => true,
  postgres: postgresAvailable,
  rabbitmq: async () => (await rabbitmq()).rabbitmqAvailable(),
};

/** The same adapters for both SQL engines. */
export function onDatabases<T>(
  setup: (engine: TestEngine) => T | Promise<T>,
): Pick<Adapters<T>, 'pglite' | 'postgres'> {
  return { pglite: setup, postgres: setup };
}

/**
 * One contract suite per port, run against every adapter: `${port} contract › <engine>` for each
 * engine in `adapters`. See `describeOnEngines`.
 */
export function describeContract<T extends object>(
  port: string,
  adapters: Adapters<T>,
  body: (subject: T, engine: Engine) => void,
): void {
  describeOnEngines(`${port} contract`, adapters, body);
}

/**
 * A suite run once per engine. Before its tests the engine is opened (a fresh migrated database,
 * or a topology of its own on the broker) and the adapter built on it; after them both are
 * closed. `body` registers the tests: it gets the subject, whose fields are filled in before the
 * first test runs, and the engine, to tell adapters apart where the contract allows a difference.
 */
export function describeOnEngines<T extends object>(
  title: string,
  adapters: Adapters<T>,
  body: (subject: T, engine: Engine) => void,
): void {
  describe(title, async () => {
    for (const engine of Object.keys(adapters) as Engine[]) {
      const skip = !(await REACHABLE[engine]());
      describe.skipIf(skip)(ENGINE_LABELS[engine], () => {
        const subject = {} as T;
        let opened: Opened<Engine> | undefined;
        beforeAll(async () => {
          opened = await OPEN[engine]();
          const setup = adapters[engine] as (resources: EngineResources[Engine]) => T | Promise<T>;
          Object.assign(subject, plainObject(await setup(opened.resources)));
        });
        afterAll(async () => {
          try {
            await (subject as { close?: () => Promise<void> }).close?.();
          } finally {
            await opened?.close();
          }
        });
        body(subject, engine);
      });
    }
  });
}

/** The subject is filled in by copying fields: a class instance would lose its methods on the way. */
function plainObject<T extends object>(value: T): T {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    throw new Error('a contract setup returns a plain object of what its tests use, not a class instance');
  }
  return value;
}
