import { contextsFor } from '../../src/apps/contexts.js';
import { loadConfig } from '../../src/apps/config/config.js';
import { Topology } from '../../src/platform/messaging/topology.js';

/** The service's real contexts (default settings): the topology and problem table tests run against. */
export const TEST_CONTEXTS = contextsFor(loadConfig({}));
export const PROBLEM_CATALOGUE = TEST_CONTEXTS.problems.entries;

/** Queue names the contexts declare, for tests that address one directly. */
export const Queues = {
  userCommands: 'users.commands',
  userViewsProjection: 'read-model.user-views',
  /** A queue of the tests' own, bound to every user event beside the service's consumers. */
  userEventsTap: 'test.user-events-tap',
} as const;

/**
 * The service's topology plus the tests' tap on user events, so a transport contract can show an
 * event fanned out to more than one queue whatever the service itself binds.
 */
export const TOPOLOGY = new Topology({
  commands: TEST_CONTEXTS.topology.declaration.commands,
  events: [...TEST_CONTEXTS.topology.declaration.events, { queue: Queues.userEventsTap, bindings: ['users.user.#'] }],
});
