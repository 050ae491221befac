import type { ApiSide } from '../platform/context/context-manifest.js';
import { registerCommandRoutes } from '../platform/http/command.routes.js';
import { registerOperationsRoutes } from '../platform/http/operations.routes.js';
import { registerPageStylesheet } from '../platform/http/pages.js';
import { createHttpServer, type HttpServer } from '../platform/http/server.js';
import { listenTo } from '../platform/db/notifications.js';
import { PROGRESS_CHANNEL } from '../platform/messaging/progress-notices.js';
import { bootstrapAdmin } from './admin.js';
import type { Runtime } from './runtime.js';

export interface ApiRole {
  readonly app: HttpServer;
  readonly url: string;
  stop(): Promise<void>;
}

/** The API role: every context's routes on one server, with the platform's own beside them. */
export async function buildApi(runtime: Runtime): Promise<HttpServer> {
  const { config, logger, database, transport, statuses, metrics, contexts, access } = runtime;
  const app = await createHttpServer({
    trustProxy: config.trustProxy,
    logger,
    publicUrl: config.publicUrl ?? `http://${config.host}:${config.port}`,
    metrics,
    problems: contexts.problems,
    corsOrigins: config.corsOrigins,
    tags: contexts.tags,
    ...(runtime.tracing && { tracing: runtime.tracing.httpPlugin }),
  });
  await runtime.admission.start();
  app.addHook('onClose', async () => runtime.admission.stop());
  // Migration 0012 announces progress on PostgreSQL only; embedded, waits poll.
  if (database.kind === 'postgres') {
    const notices = runtime.notices;
    const log = logger.child({ component: 'api' });
    const progress = await listenTo(database, config.databaseUrl, PROGRESS_CHANNEL, (key) => notices.notify(key), log);
    notices.markAnnounced();
    app.addHook('onClose', async () => progress.stop());
  }
  const sides: ApiSide[] = [];
  const settle = async (resourceId: string) => void (await Promise.all(sides.map((side) => side.settle?.(resourceId))));
  runtime.responder.settleWith(settle);
  app.addHook('onClose', async () => void (await Promise.all(sides.map((side) => side.stop?.()))));
  for (const manifest of contexts.manifests) {
    const side = (await manifest.api(runtime)) as ApiSide;
    sides.push(side);
    if (side.access) access.provide(side.access);
    for (const route of manifest.routes) route.register(app, side, manifest.name);
  }
  if (!access.provided) throw new Error('no context provides the access policy the routes ask');
  registerPageStylesheet(app);
  registerOperationsRoutes(app, [
    { name: 'database', check: () => database.ping() },
    { name: 'transport', check: () => transport.ping() },
  ]);
  registerCommandRoutes(app, statuses, access, contexts.problems, settle);
  if (config.adminEmail && config.adminPassword) {
    await bootstrapAdmin(runtime, { email: config.adminEmail, password: config.adminPassword }, { onlyIfNone: true });
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
