import type { Command, CommandBus } from '../../shared/application/command-bus.js';
import { ConcurrentModificationError } from '../../shared/domain/concurrent-modification-error.js';
import { DomainError } from '../../shared/domain/domain-error.js';
import type { Database } from '../db/database.js';
import type { CommandStatusStore } from './command-status-store.js';
import type { Inbox } from './inbox.js';
import type { Delivery } from './message.js';
import { deliveryContext, messageContext } from './message-context.js';
import { RetrySoonError } from './retry-policy.js';

export interface CommandProcessorDeps {
  readonly database: Database;
  readonly inbox: Inbox;
  readonly statuses: CommandStatusStore;
  readonly bus: CommandBus;
  readonly parse: (body: unknown) => Command;
  /** Tells the relay that new events were committed. */
  readonly onCommitted?: () => void;
  /**
   * Runs a command's transaction (default: one of its own). Group commit may share it with other
   * commands; a command that throws in a shared one runs again alone.
   */
  readonly commit?: <T>(delivery: Delivery, work: () => Promise<T>) => Promise<T>;
}

export type CommandOutcome = 'succeeded' | 'failed' | 'duplicate';

/**
 * The worker's half of DESIGN.md §4: inbox claim, handler, outbox and command status all commit in
 * one transaction, and only then is the message acked. A DomainError is a final answer (the
 * command failed with its code); anything else rolls back and is retried by the transport.
 */
export class CommandProcessor {
  constructor(private readonly deps: CommandProcessorDeps) {}

  async process(delivery: Delivery): Promise<CommandOutcome> {
    const { database, inbox, statuses, bus } = this.deps;
    const command = this.deps.parse(delivery.body);
    const context = deliveryContext(delivery, 'command');
    try {
      const commit = this.deps.commit ?? ((_delivery, work) => database.transaction(work));
      const outcome = await commit(delivery, async () => {
        if (!(await inbox.claim(delivery.queue, delivery.messageId))) return 'duplicate' as const;
        const result = await messageContext.run(context, () => bus.execute(command));
        await statuses.succeedAtCommit(delivery.messageId, command.type, result, delivery.correlationId);
        return 'succeeded' as const;
      });
      if (outcome === 'succeeded') this.deps.onCommitted?.();
      return outcome;
    } catch (error) {
      // Lost a race with another writer: run it again now, on the state that won.
      if (error instanceof ConcurrentModificationError) throw new RetrySoonError(String(error), 20);
      if (!(error instanceof DomainError)) throw error;
      return database.transaction(async () => {
        if (!(await inbox.claim(delivery.queue, delivery.messageId))) return 'duplicate' as const;
        await statuses.fail(
          delivery.messageId,
          command.type,
          { code: error.code, message: error.message, ...(error.errors.length > 0 && { errors: error.errors }) },
          delivery.correlationId,
        );
        return 'failed' as const;
      });
    }
  }
}
