import type { Clock } from '../../shared/application/ports/clock.js';
import type { IdGenerator } from '../../shared/application/ports/id-generator.js';
import type { PasswordHasher } from '../../shared/application/ports/password-hasher.js';
import type { RateLimiter } from '../../shared/application/ports/rate-limiter.js';
import type { Sealer } from '../../shared/application/ports/sealer.js';
import type { EventOutbox } from '../../shared/application/ports/unit-of-work.js';
import type { QueryBus } from '../../shared/application/query-bus.js';
import type { PasswordPolicy } from '../../shared/domain/password-policy.js';
import type { Database } from '../db/database.js';
import type { AccessPolicy } from '../http/access-policy.js';
import type { CommandResponder } from '../http/command-responder.js';
import type { Logger } from '../logging/logger.js';
import type { CommandGateway } from '../messaging/command-gateway.js';
import type { CommandStatusStore } from '../messaging/command-status-store.js';
import type { Inbox } from '../messaging/inbox.js';
import type { MessageTransport } from '../messaging/transport.js';
import type { Metrics } from '../observability/metrics/metrics.js';
import type { Instrument } from '../observability/metrics/timed.js';

/**
 * What the platform hands every context, in every role: storage, messaging, time, ids, metrics,
 * and the API's write path. A context's manifest builds its own graph from these.
 */
export interface PlatformServices {
  readonly database: Database;
  readonly transport: MessageTransport;
  readonly outbox: EventOutbox;
  readonly inbox: Inbox;
  readonly statuses: CommandStatusStore;
  /** Accepts a command durably (for adapters that start another context's command). */
  readonly gateway: CommandGateway;
  /** Answers a write request with 202, or with the result under `Prefer: wait`. */
  readonly responder: CommandResponder;
  /** Who is calling: the policy the auth context provides, asked by every route. */
  readonly access: AccessPolicy;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly hasher: PasswordHasher;
  readonly passwordPolicy: PasswordPolicy;
  readonly limiter: RateLimiter;
  /** Seals secrets that travel or rest where they could be read (ENCRYPTION_KEYS). */
  readonly sealer: Sealer;
  readonly metrics: Metrics;
  /** A new query bus with the platform's middleware (metrics, logging) for a context's queries. */
  queries(): QueryBus;
  /** Wraps a storage adapter so its calls are timed and counted per table. */
  readonly instrument: Instrument;
  readonly logger: Logger;
}
