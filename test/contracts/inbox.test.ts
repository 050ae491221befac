import { Inbox } from '../../src/platform/messaging/inbox.js';
import { describeContract, onDatabases } from '../support/contract.js';
import { inboxContract } from './inbox.contract.js';

describeContract(
  'Inbox',
  onDatabases(({ database }) => ({ database, inbox: new Inbox(database) })),
  inboxContract,
);
