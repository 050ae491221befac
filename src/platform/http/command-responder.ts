import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Command } from '../../shared/application/command-bus.js';
import type { IdGenerator } from '../../shared/application/ports/id-generator.js';
import type { CommandGateway } from '../messaging/command-gateway.js';
import type { CommandStatus, CommandStatusStore } from '../messaging/command-status-store.js';
import type { IdempotencyStore, StoredResponse } from '../messaging/idempotency-store.js';
import { ProgressNotices, viewChanged } from '../messaging/progress-notices.js';
import type { Caller } from './access-policy.js';
import { idempotent } from './idempotency.js';
import { parsePreferWait } from './prefer-wait.js';
import type { ProblemCatalogue } from './problem.js';

/** How a write endpoint answers once its command has finished (with `Prefer: wait`). */
export interface WriteEndpoint {
  readonly resourceId: string;
  readonly successStatus: 200 | 201 | 204;
  /** The resource as the read model shows it now, with its version; null when absent. */
  readonly loadView: (resourceId: string) => Promise<{ version: number; body: unknown } | null>;
  readonly location?: string;
}

/**
 * Turns a validated request into an accepted command and the answer API.md describes: 202 with
 * `Location`, or, with `Prefer: wait=N`, the final result once the read model shows it.
 */
export class CommandResponder {
  private settle: (resourceId: string) => Promise<void> = async () => {};

  constructor(
    private readonly gateway: CommandGateway,
    private readonly statuses: CommandStatusStore,
    private readonly idempotency: IdempotencyStore,
    private readonly ids: IdGenerator,
    private readonly problems: ProblemCatalogue,
    private readonly notices: ProgressNotices = new ProgressNotices(),
  ) {}

  /** What must hold everywhere before a command is reported done (the contexts' `settle`). */
  settleWith(settle: (resourceId: string) => Promise<void>): void {
    this.settle = settle;
  }

  async respond(
    request: FastifyRequest,
    reply: FastifyReply,
    caller: Caller,
    endpoint: WriteEndpoint,
    buildCommand: () => Promise<Command> | Command,
  ): Promise<FastifyReply> {
    const response = await idempotent(this.idempotency, this.problems, request, caller.id, async (remember) => {
      const command = await buildCommand();
      const commandId = this.ids.next();
      const { traceparent, tracestate } = request.headers;
      const accepted: StoredResponse = {
        status: 202,
        headers: { location: `/api/v1/commands/${commandId}` },
        body: { commandId, status: 'pending', resourceId: endpoint.resourceId },
      };
      await this.gateway.accept(command, {
        commandId,
        resourceId: endpoint.resourceId,
        caller: caller.id,
        correlationId: request.id,
        ...(typeof traceparent === 'string' && { traceparent }),
        ...(typeof tracestate === 'string' && { tracestate }),
        ...(remember && { onAccepted: () => remember(accepted) }),
      });
      const wait = parsePreferWait(request.headers.prefer);
      if (wait !== null) {
        const finished = await this.waitForResult(commandId, endpoint, Date.now() + wait * 1000);
        if (finished) {
          return {
            ...finished,
            headers: { ...finished.headers, 'preference-applied': `wait=${wait}` },
          } as StoredResponse;
        }
      }
      return accepted;
    });
    return reply
      .code(response.status)
      .headers(response.headers)
      .send(response.body ?? undefined);
  }

  private async waitForResult(
    commandId: string,
    endpoint: WriteEndpoint,
    deadline: number,
  ): Promise<StoredResponse | null> {
    const status = await this.statuses.waitUntilFinished(commandId, deadline);
    if (!status) return null;
    if (status.status === 'failed') return this.failedResponse(status);
    const expected = status.resultVersion;
    const view = await this.notices.waitFor(viewChanged(endpoint.resourceId), deadline, async () => {
      const current = await endpoint.loadView(endpoint.resourceId);
      if (expected === null) return current === null ? { body: undefined } : null;
      return current && current.version >= expected ? current : null;
    });
    if (!view) return null;
    await this.settle(endpoint.resourceId);
    return {
      status: endpoint.successStatus,
      headers: endpoint.location ? { location: endpoint.location } : ({} as Record<string, string>),
      body: endpoint.successStatus === 204 ? undefined : view.body,
    };
  }

  private failedResponse(status: CommandStatus): StoredResponse {
    const error = status.error ?? { code: 'internal_error', message: 'the command failed' };
    const details = this.problems.problem(error.code, error.message, error.errors);
    return { status: details.status, headers: { 'content-type': 'application/problem+json' }, body: details };
  }
}
