import { IdempotencyStore } from '../../src/platform/messaging/idempotency-store.js';
import { describeContract, onDatabases } from '../support/contract.js';
import { idempotencyStoreContract } from './idempotency-store.contract.js';

describeContract(
  'IdempotencyStore',
  onDatabases(({ database }) => ({ database, store: new IdempotencyStore(database) })),
  idempotencyStoreContract,
);
