import { ENGINE_NAMES, openEngine } from '../support/engines.js';
import { postgresAvailable } from '../support/postgres.js';
import { describeOutboxRelayContract } from './outbox-relay.contract.js';

const postgres = await postgresAvailable();

for (const kind of ['pglite', 'postgres'] as const) {
  describeOutboxRelayContract(ENGINE_NAMES[kind], () => openEngine(kind), {
    skip: kind === 'postgres' && !postgres,
    concurrentConnections: kind === 'postgres',
  });
}
