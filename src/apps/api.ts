import { availableParallelism } from 'node:os';
import { QueryBus } from '../shared/application/query-bus.js';
import { OpenAccessPolicy, type AccessPolicy } from '../shared/infrastructure/http/access-policy.js';
import { registerCommandRoutes } from '../shared/infrastructure/http/command.routes.js';
import { CommandResponder } from '../shared/infrastructure/http/command-responder.js';
import { registerOperationsRoutes } from '../shared/infrastructure/http/operations.routes.js';
import { createHttpServer, type HttpServer } from '../shared/infrastructure/http/server.js';
import { CommandGateway } from '../shared/infrastructure/messaging/command-gateway.js';
import { Argon2PasswordHasher } from '../shared/infrastructure/system/argon2-password-hasher.js';
import { PasswordPolicy } from '../contexts/users/domain/password-policy.js';
import { ZxcvbnCommonPasswordList } from '../contexts/users/infrastructure/common-password-list.js';
import { registerUsersRoutes } from '../contexts/users/infrastructure/http/users.routes.js';
import { PostgresUserViewReader } from '../contexts/users/infrastructure/projection/postgres-user-view-reader.js';
import { registerUsersQueries } from '../contexts/users/infrastructure/users.module.js';
import { timedQueries } from './bus-middleware.js';
import type { Runtime } from './runtime.js';

export interface ApiRole {
  readonly app: HttpServer;
  readonly url: string;
  stop(): Promise<void>;
}

/** The API role: validates, hashes, enqueues commands and answers queries from the read model. */
export async function buildApi(runtime: Runtime, access: AccessPolicy = new OpenAccessPolicy()): Promise<HttpServer> {
  const { config, logger, database, transport, ids, statuses, idempotency } = runtime;
  const publicUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;
  const app = await createHttpServer({ logger, publicUrl });
  const views = new PostgresUserViewReader(database);
  const queries = new QueryBus([timedQueries(logger)]);
  registerUsersQueries(queries, views);
  const gateway = new CommandGateway(database, transport, statuses, logger);
  const responder = new CommandResponder(gateway, statuses, idempotency, ids);
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
    hasher: new Argon2PasswordHasher(config.hashConcurrency ?? availableParallelism()),
    passwordPolicy: new PasswordPolicy(new ZxcvbnCommonPasswordList()),
  });
  return app;
}

export async function startApi(runtime: Runtime): Promise<ApiRole> {
  const app = await buildApi(runtime);
  await app.listen({ port: runtime.config.port, host: runtime.config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : runtime.config.port;
  const url = runtime.config.publicUrl ?? `http://${runtime.config.host}:${port}`;
  return { app, url, stop: () => app.close() };
}
