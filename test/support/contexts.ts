import { contextsFor } from '../../src/apps/contexts.js';
import { loadConfig } from '../../src/apps/config/config.js';

/** The service's real contexts (default settings): the topology and problem table tests run against. */
export const TEST_CONTEXTS = contextsFor(loadConfig({}));
export const TOPOLOGY = TEST_CONTEXTS.topology;
export const PROBLEM_CATALOGUE = TEST_CONTEXTS.problems.entries;

/** Queue names the contexts declare, for tests that address one directly. */
export const Queues = {
  userCommands: 'users.commands',
  userViewsProjection: 'read-model.user-views',
} as const;
