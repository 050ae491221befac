import { describeContract, onDatabases } from '../support/contract.js';
import { outboxRelayContract } from './outbox-relay.contract.js';

describeContract(
  'OutboxRelay',
  onDatabases(({ database, url }) => ({ database, url })),
  outboxRelayContract,
);
