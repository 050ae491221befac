import type { Command } from '../../shared/application/command-bus.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../logging/logger.js';
import { HttpProblemError } from '../http/problem.js';
import type { AdmissionControl } from './admission-control.js';
import type { CommandStatusStore } from './command-status-store.js';
import type { Topology } from './topology.js';
import type { MessageTransport } from './transport.js';

export interface Accepted {
  readonly commandId: string;
  readonly resourceId: string;
}

export interface AcceptOptions {
  readonly commandId: string;
  readonly resourceId: string;
  readonly caller: string;
  readonly correlationId: string;
  /** W3C trace context of the request, passed through when tracing is off (on, the send span's replaces it). */
  readonly traceparent?: string;
  readonly tracestate?: string;
  /**
   * Runs once the command is durably accepted: in the accepting transaction with the embedded
   * queue, right after the broker's confirm otherwise. The API stores the idempotent answer here.
   */
  readonly onAccepted?: () => Promise<void>;
}

/**
 * The API's half of the write path: records the command as pending and hands it to the transport,
 * in one transaction. If the transport cannot make the message durable, the pending row rolls back
 * and the client gets 503: the service never answers 202 for a command it might lose.
 */
export class CommandGateway {
  constructor(
    private readonly database: Database,
    private readonly transport: MessageTransport,
    private readonly statuses: CommandStatusStore,
    private readonly topology: Topology,
    private readonly logger: Logger,
    private readonly admission?: AdmissionControl,
  ) {}

  async accept(command: Command, options: AcceptOptions): Promise<Accepted> {
    // An undeclared command type is our bug, not the client's: it fails loudly before anything is stored.
    const queue = this.topology.queueForCommand(command.type);
    this.admission?.admit();
    const pending = () =>
      this.statuses.insertPending({
        commandId: options.commandId,
        type: command.type,
        resourceId: options.resourceId,
        caller: options.caller,
        correlationId: options.correlationId,
      });
    const send = () =>
      this.transport.send(queue, {
        messageId: options.commandId,
        type: command.type,
        correlationId: options.correlationId,
        timestamp: new Date(),
        headers: {
          'aggregate-id': options.resourceId,
          ...(options.traceparent && { traceparent: options.traceparent }),
          ...(options.traceparent && options.tracestate && { tracestate: options.tracestate }),
        },
        body: command,
      });
    try {
      if (this.transport.transactional) {
        await this.database.transaction(async () => {
          await pending();
          await send();
          await options.onAccepted?.();
        });
      } else {
        // A broker is outside the transaction: the status row commits first, so a worker that
        // finishes before we return still finds it; if the broker refuses, the row goes again.
        await pending();
        await send().catch(async (error: unknown) => {
          await this.statuses.remove(options.commandId).catch(() => undefined);
          throw error;
        });
      }
    } catch (error) {
      this.logger.error({ err: error, commandId: options.commandId }, 'command could not be enqueued');
      throw HttpProblemError.of('service_unavailable', 'the command could not be queued; try again shortly', {
        'Retry-After': '5',
      });
    }
    if (!this.transport.transactional) await options.onAccepted?.();
    return { commandId: options.commandId, resourceId: options.resourceId };
  }
}
