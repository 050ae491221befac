import { describeContract, onDatabases } from '../support/contract.js';
import { eventOutboxContract } from './event-outbox.contract.js';

describeContract(
  'EventOutbox (PostgresEventOutbox)',
  onDatabases(({ database }) => ({ database })),
  eventOutboxContract,
);
