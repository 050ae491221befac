import type { TObject } from 'typebox';
// typebox/schema's Check is what Value.Check runs, without the ~140 modules of the rest of Value.
import { Check } from 'typebox/schema';
import { CommandBus, type Command, type CommandMiddleware } from '../../shared/application/command-bus.js';
import type { DomainEvent } from '../../shared/domain/domain-event.js';
import { ProblemCatalogue, type ProblemEntry } from '../http/problem.js';
import { PoisonMessageError } from '../messaging/retry-policy.js';
import { Topology } from '../messaging/topology.js';
import type { ConsumerDefinition, ContextManifest } from './context-manifest.js';
import { manifestProblems } from './manifest-check.js';
import type { PlatformServices } from './platform-services.js';

// The catalogue holds manifests of every context; their own worker/api types do not matter here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyManifest = ContextManifest<any, any>;

export interface ConsumerEntry {
  readonly context: AnyManifest;
  readonly definition: ConsumerDefinition<unknown>;
}

/**
 * Everything the platform derives from the contexts' manifests: the topology, the command schemas
 * and handlers, the problem table and the OpenAPI tags. Built once per process; refuses manifests
 * that do not hold together (see manifest-check.ts), so a broken declaration never starts.
 */
export class ContextCatalogue {
  readonly topology: Topology;
  readonly problems: ProblemCatalogue;
  private readonly schemas = new Map<string, TObject>();
  private readonly workers = new Map<AnyManifest, unknown>();

  constructor(readonly manifests: readonly AnyManifest[]) {
    const problems = manifestProblems(manifests);
    if (problems.length > 0)
      throw new Error(`the contexts' manifests do not hold together:\n  - ${problems.join('\n  - ')}`);
    for (const m of manifests) for (const [type, c] of Object.entries(m.commands)) this.schemas.set(type, c.schema);
    this.topology = new Topology({
      commands: manifests
        .filter((m) => Object.keys(m.commands).length > 0)
        .map((m) => ({ queue: `${m.name}.commands`, commandTypes: Object.keys(m.commands) })),
      events: this.consumers.map(({ definition }) => ({ queue: definition.queue, bindings: definition.subscribesTo })),
    });
    this.problems = new ProblemCatalogue(
      Object.assign({}, ...manifests.map((m) => m.errors)) as Record<string, ProblemEntry>,
    );
  }

  get consumers(): readonly ConsumerEntry[] {
    return this.manifests.flatMap((context) =>
      context.consumers.map((definition: ConsumerDefinition<unknown>) => ({ context, definition })),
    );
  }

  get tags(): readonly { name: string; description: string }[] {
    return [
      ...this.manifests.map((m) => ({ name: m.name, description: m.description })),
      { name: 'commands', description: 'What became of an accepted command' },
      { name: 'operations', description: 'Health, readiness, metrics and this document' },
    ];
  }

  /** The worker side of a context, built on first use and shared by every role in this process. */
  workerOf(manifest: AnyManifest, platform: PlatformServices): unknown {
    if (!this.workers.has(manifest)) this.workers.set(manifest, manifest.worker(platform));
    return this.workers.get(manifest);
  }

  /**
   * What the outbox runs for each appended event: every context's reaction to its type, in
   * manifest order, inside the appending transaction.
   */
  reactionsIn(platform: PlatformServices): (event: DomainEvent) => Promise<void> {
    const byType = new Map<string, ((event: DomainEvent) => Promise<void>)[]>();
    for (const manifest of this.manifests) {
      for (const reaction of manifest.reactions ?? []) {
        // Built on the first event of the reaction's types, so a role that never appends one never builds the worker.
        let react: ((event: DomainEvent) => Promise<void>) | undefined;
        const lazily = (event: DomainEvent) => (react ??= reaction.handler(this.workerOf(manifest, platform)))(event);
        for (const type of reaction.on) byType.set(type, [...(byType.get(type) ?? []), lazily]);
      }
    }
    return async (event) => {
      for (const react of byType.get(event.type) ?? []) await react(event);
    };
  }

  /** A bus with the handler of every command of every context (the worker role's). */
  commandBus(platform: PlatformServices, middleware: readonly CommandMiddleware[] = []): CommandBus {
    const bus = new CommandBus(middleware);
    for (const manifest of this.manifests) {
      const worker = this.workerOf(manifest, platform);
      for (const [type, definition] of Object.entries(manifest.commands))
        bus.register(type, definition.handler(worker));
    }
    return bus;
  }

  /** Checks a message against its command's schema: one that does not match can never succeed (poison). */
  parseCommand(body: unknown): Command {
    const type = (body as { type?: unknown } | null)?.type;
    const schema = typeof type === 'string' ? this.schemas.get(type) : undefined;
    if (!schema) throw new PoisonMessageError(`unknown command type ${String(type)}`);
    if (!Check(schema, body)) throw new PoisonMessageError(`malformed ${type} command`);
    return body as unknown as Command;
  }

  /** The context whose operations metric counts this command or query type, if any. */
  operationsMetricOf(type: string): { metric: string; operation: string } | null {
    const context = this.manifests.find((m) => type.startsWith(`${m.name}.`));
    if (!context?.operationsMetric) return null;
    return { metric: context.operationsMetric, operation: type.slice(context.name.length + 1) };
  }
}
