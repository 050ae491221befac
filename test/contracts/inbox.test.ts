import { ENGINE_NAMES, openEngine } from '../support/engines.js';
import { postgresAvailable } from '../support/postgres.js';
import { describeInboxContract } from './inbox.contract.js';

const postgres = await postgresAvailable();

for (const kind of ['pglite', 'postgres'] as const) {
  describeInboxContract(ENGINE_NAMES[kind], () => openEngine(kind), { skip: kind === 'postgres' && !postgres });
}
