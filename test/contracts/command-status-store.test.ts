import { CommandStatusStore } from '../../src/platform/messaging/command-status-store.js';
import { describeContract, onDatabases } from '../support/contract.js';
import { commandStatusStoreContract } from './command-status-store.contract.js';

describeContract(
  'CommandStatusStore',
  onDatabases(({ database }) => ({ database, store: new CommandStatusStore(database) })),
  commandStatusStoreContract,
);
