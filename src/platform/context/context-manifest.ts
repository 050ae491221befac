import type { Static, TObject } from 'typebox';
import type { Command, CommandHandler } from '../../shared/application/command-bus.js';
import type { DomainEvent } from '../../shared/domain/domain-event.js';
import type { Database } from '../db/database.js';
import type { EventEnvelope } from '../messaging/event-envelope.js';
import type { Delivery } from '../messaging/message.js';
import type { AccessPolicy } from '../http/access-policy.js';
import type { HttpServer } from '../http/server.js';
import type { MetricSet } from '../observability/metrics/metric-set.js';
import type { PlatformServices } from './platform-services.js';

/** A command type: its wire schema (the TypeScript type is derived from it) and its handler. */
export interface CommandDefinition<W, S extends TObject = TObject> {
  readonly schema: S;
  readonly handler: (worker: W) => CommandHandler<Static<S> & Command>;
}

/**
 * Handles one event delivery; throws to retry (or PoisonMessageError to dead-letter). A projection
 * answers `'applied'` when the event changed its table, so the platform can report its lag.
 */
export type EventConsumer = (delivery: Delivery) => Promise<unknown>;

/** A read model `portico projections rebuild` can replay from the outbox into a fresh table. */
export interface ProjectionDefinition {
  /** Its row in `messaging.projection_checkpoints`, and the `projection` label of its metrics. */
  readonly name: string;
  /** `schema.table` of the live read model. */
  readonly table: string;
  /** Applies one event to `table` (the rebuild's copy) with the projection's version rule. */
  readonly applierFor: (database: Database, table: string) => (event: EventEnvelope) => Promise<unknown>;
}

export interface ConsumerDefinition<W> {
  /** The consumer's own queue (and `<queue>.dlq`); events reach it by `subscribesTo`. */
  readonly queue: string;
  /** Event type patterns (`users.user.#`, `users.user.deleted`) bound to the queue. */
  readonly subscribesTo: readonly string[];
  readonly handler: (worker: W) => EventConsumer;
  readonly projection?: ProjectionDefinition;
}

/**
 * Reacts to an event inside the transaction that appends it to the outbox, so the reaction's
 * effect commits, or rolls back, with the change that caused it. For effects that must hold the
 * moment the change is visible (a deactivated user's sessions end); anything that may lag is a
 * consumer instead.
 */
export interface ReactionDefinition<W> {
  /** Event types (exact names, no patterns) the reaction runs for. */
  readonly on: readonly string[];
  readonly handler: (worker: W) => (event: DomainEvent) => Promise<void>;
}

export interface RouteDefinition<A> {
  /** The command types this route sends (checked at start against the declared commands). */
  readonly sends?: readonly string[];
  /** Adds the route to the server; `tag` is the context's name, the OpenAPI tag of its routes. */
  readonly register: (app: HttpServer, api: A, tag: string) => void;
}

/** An error code the context's domain raises, and how HTTP answers it. */
export interface ErrorDefinition {
  readonly status: number;
  readonly title: string;
}

/** What the API role builds for a context once: its routes' dependencies and what it runs meanwhile. */
export interface ApiSide {
  /** The access policy every route asks, when this context is the one that authenticates callers. */
  readonly access?: AccessPolicy;
  /** Stops what the API side runs in the background (key watching, revocation polling). */
  stop?(): Promise<void> | void;
  /**
   * Resolves once the effects of a finished command on `resourceId` that this context promises
   * "at once" hold on every API process (auth: the tokens of sessions it revoked are refused
   * everywhere). Asked before any answer reports a command as succeeded.
   */
  settle?(resourceId: string): Promise<void>;
}

/**
 * A bounded context, declared once at its folder's root. The platform derives the queues and
 * bindings, the command registry, the problem table and the OpenAPI tags from these manifests,
 * and the composition roots turn them into roles. Nothing outside the context names its queues.
 */
export interface ContextManifest<W = unknown, A = unknown> {
  readonly name: string;
  /** One line for the OpenAPI tag of the context's routes. */
  readonly description: string;
  /** What the context's command handlers and consumers need, built once per process (cheap, no I/O). */
  readonly worker: (platform: PlatformServices) => W;
  readonly commands: Readonly<Record<string, CommandDefinition<W>>>;
  /** Event types the context publishes through the outbox. */
  readonly events: readonly string[];
  readonly consumers: readonly ConsumerDefinition<W>[];
  /** In-transaction reactions to events (any context's), run by the outbox as they are appended. */
  readonly reactions?: readonly ReactionDefinition<W>[];
  /** What the context's routes need, built once by the API role (an ApiSide where it stops or provides). */
  readonly api: (platform: PlatformServices) => Promise<A>;
  readonly routes: readonly RouteDefinition<A>[];
  /** Command types the context's adapters send for another context's ports (not from a route). */
  readonly portSends?: readonly string[];
  /** Drizzle tables the context owns (its migrations create them). */
  readonly tables: Readonly<Record<string, unknown>>;
  readonly errors: Readonly<Record<string, ErrorDefinition>>;
  readonly metrics?: MetricSet;
  /**
   * Counts every command and query of the context under this metric, labelled by operation (the
   * type without the context prefix) and status: `user_operations_total` for users.
   */
  readonly operationsMetric?: string;
}

/**
 * `const command = commandsOf<Worker>()`, then `command(Schema, (w) => new Handler(…))`: ties the
 * handler's command type to the schema it is derived from, with the context's worker typed.
 */
export function commandsOf<W>() {
  return <S extends TObject>(
    schema: S,
    handler: (worker: W) => CommandHandler<Static<S> & Command>,
  ): CommandDefinition<W, S> => ({ schema, handler });
}

/** Declares a manifest with its types inferred; the identity, for the compiler's sake. */
export function defineContext<W, A>(manifest: ContextManifest<W, A>): ContextManifest<W, A> {
  return manifest;
}
