import { availableParallelism } from 'node:os';
import { QueryBus } from '../shared/application/query-bus.js';
import type { AccessPolicy } from '../platform/http/access-policy.js';
import { registerCommandRoutes } from '../platform/http/command.routes.js';
import { CommandResponder } from '../platform/http/command-responder.js';
import { registerOperationsRoutes } from '../platform/http/operations.routes.js';
import { createHttpServer, type HttpServer } from '../platform/http/server.js';
import { CommandGateway } from '../platform/messaging/command-gateway.js';
import { meteredQueries } from '../platform/observability/metrics/bus-metrics.js';
import { timed } from '../platform/observability/metrics/timed.js';
import { Argon2PasswordHasher } from '../platform/system/argon2-password-hasher.js';
import { PasswordPolicy } from '../shared/domain/password-policy.js';
import { ZxcvbnCommonPasswordList } from '../platform/system/common-password-list.js';
import { registerUsersRoutes } from '../contexts/users/infrastructure/http/users.routes.js';
import { PostgresUserViewReader } from '../contexts/users/infrastructure/projection/postgres-user-view-reader.js';
import { registerUsersQueries } from '../contexts/users/infrastructure/users.module.js';
import { timedQueries } from './bus-middleware.js';
import type { Runtime } from './runtime.js';
import { bootstrapAdmin } from './admin.js';
import { buildAuth } from '../contexts/auth/infrastructure/auth.module.js';
import { registerAuthRoutes } from '../contexts/auth/infrastructure/http/auth.routes.js';
import { meteredSignIn } from './auth-metrics.js';
import { UsersPasswordHashWriter } from '../contexts/auth/infrastructure/users-password-writer.js';
import { UsersPasswordHashUpgrader } from '../contexts/auth/infrastructure/users-password-upgrader.js';
import { PostgresRateLimiter } from '../platform/db/postgres-rate-limiter.js';

export interface ApiRole {
  readonly app: HttpServer;
  readonly url: string;
  stop(): Promise<void>;
}

/** The API role: validates, hashes, enqueues commands and answers queries from the read model. */
export async function buildApi(runtime: Runtime): Promise<HttpServer> {
  const { config, logger, database, transport, ids, statuses, idempotency, metrics } = runtime;
  const publicUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;
  const app = await createHttpServer({
    trustProxy: config.trustProxy,
    logger,
    publicUrl,
    metrics,
    ...(runtime.tracing && { tracing: runtime.tracing.httpPlugin }),
  });
  const views = timed(metrics, 'read.user_views', new PostgresUserViewReader(database));
  const queries = new QueryBus([meteredQueries(metrics), timedQueries(logger)]);
  registerUsersQueries(queries, views);
  const gateway = new CommandGateway(database, transport, statuses, logger);
  const responder = new CommandResponder(gateway, statuses, idempotency, ids);
  const hasher = new Argon2PasswordHasher(config.hashConcurrency ?? availableParallelism());
  const passwordPolicy = new PasswordPolicy(new ZxcvbnCommonPasswordList());
  const auth = await buildAuth(
    {
      database,
      outbox: runtime.outbox,
      ids,
      clock: runtime.clock,
      hasher,
      policy: passwordPolicy,
      passwordWriter: new UsersPasswordHashWriter(gateway, statuses, ids, () => ids.next()),
      upgrader: new UsersPasswordHashUpgrader(gateway, hasher, ids, logger),
      logger,
    },
    {
      issuer: config.jwtIssuer,
      audience: config.jwtAudience,
      accessTokenTtlSeconds: config.accessTokenTtlSeconds,
      refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
      loginsPerIpPerMinute: config.loginsPerIpPerMinute,
      lockoutThreshold: config.lockoutThreshold,
    },
  );
  app.addHook('onClose', async () => auth.stop());
  const access: AccessPolicy = auth.access;
  registerAuthRoutes(app, {
    ...auth,
    login: meteredSignIn(auth.login, metrics, 'success'),
    refresh: meteredSignIn(auth.refresh, metrics, 'refreshed'),
  });
  registerOperationsRoutes(app, [
    { name: 'database', check: () => database.ping() },
    { name: 'transport', check: () => transport.ping() },
  ]);
  registerCommandRoutes(app, statuses, access);
  registerUsersRoutes(app, {
    queries,
    views,
    responder,
    access,
    ids,
    hasher,
    passwordPolicy,
    limiter: new PostgresRateLimiter(database),
    registrationsPerIpPerHour: config.registrationsPerIpPerHour,
    clock: runtime.clock,
  });
  if (config.adminEmail && config.adminPassword && !(await auth.credentials.adminExists())) {
    await bootstrapAdmin(runtime, { email: config.adminEmail, password: config.adminPassword }, hasher, passwordPolicy);
  }
  return app;
}

export async function startApi(runtime: Runtime): Promise<ApiRole> {
  const app = await buildApi(runtime);
  await app.listen({ port: runtime.config.port, host: runtime.config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : runtime.config.port;
  const url = runtime.config.publicUrl ?? `http://${runtime.config.host}:${port}`;
  return { app, url, stop: () => closeWithGrace(app) };
}

/** How long requests in flight get to finish when the API stops (the process allows itself 20 s). */
const CLOSE_GRACE_MS = 10_000;

/**
 * `close()` waits until every connection has ended. Node closes idle keep-alive connections, but
 * not one the client opened ahead without a request yet, nor one whose request the client gave
 * up on (nothing is ever written to it): close() would wait until the client drops them, past the
 * process's shutdown limit. Requests in flight get a grace period; then every connection is closed.
 */
async function closeWithGrace(app: HttpServer): Promise<void> {
  const grace = setTimeout(() => app.server.closeAllConnections(), CLOSE_GRACE_MS);
  try {
    await app.close();
  } finally {
    clearTimeout(grace);
  }
}
