import { Command } from 'commander';
import { ConfigError, CONFIG_TABLE, loadConfig, type Config } from './config/config.js';
import { Database } from '../platform/db/database.js';
import { migrate } from '../platform/db/migrate.js';
import { createLogger, type Logger } from '../platform/logging/logger.js';
import { startAll } from './all.js';
import { startApi } from './api.js';
import { registerOperatorCommands } from './commands/index.js';
import { withMetricsEndpoint } from './metrics-endpoint.js';
import { startRelay } from './relay.js';
import type { Tracing } from '../platform/observability/tracing/tracing.js';
import { createRuntime, type Runtime } from './runtime.js';
import { startConsumers } from './consumers.js';

type Stoppable = { stop(): Promise<void> };

const program = new Command()
  .name('portico')
  .description('Portico: a self-hostable user and authentication service')
  .showHelpAfterError()
  .addHelpText('after', `\nConfiguration comes from environment variables:\n${CONFIG_TABLE.help()}`);

program
  .command('start')
  .description('run every role in one process: api, worker, relay and projector (migrates first)')
  .action(() =>
    runRole('start', true, async (runtime) => {
      const service = await startAll(runtime);
      runtime.logger.info(
        { url: service.url, docs: `${service.url}/docs` },
        `Portico is ready: API ${service.url}  ·  docs ${service.url}/docs`,
      );
      return service;
    }),
  );

program
  .command('migrate')
  .description('apply database migrations and exit')
  .action(async () => {
    const { config, logger } = boot();
    const database = config.databaseUrl ? Database.postgres(config.databaseUrl) : await Database.pglite(config.dataDir);
    try {
      await migrate(database);
      logger.info({ database: database.kind }, 'migrations applied');
    } finally {
      await database.close();
    }
  });

registerOperatorCommands(program);

const roles: Record<string, { description: string; start: (runtime: Runtime) => Promise<Stoppable> }> = {
  api: { description: 'run the HTTP API only', start: async (rt) => startApi(rt) },
  worker: {
    description: 'run a command worker only',
    start: async (rt) => withMetricsEndpoint(rt, await startConsumers(rt, { commands: true, events: false })),
  },
  relay: {
    description: 'run the outbox relay only',
    start: async (rt) => withMetricsEndpoint(rt, await startRelay(rt)),
  },
  projector: {
    description: "run the event consumers only: every context's projections and reactions",
    start: async (rt) => withMetricsEndpoint(rt, await startConsumers(rt, { commands: false, events: true })),
  },
};
for (const [name, role] of Object.entries(roles)) {
  program
    .command(name)
    .description(`${role.description} (needs DATABASE_URL: roles in separate processes share a server)`)
    .action(() => runRole(name, false, role.start));
}

function boot(): { config: Config; logger: Logger } {
  try {
    const config = loadConfig();
    return { config, logger: createLogger({ level: config.logLevel, pretty: config.prettyLogs }) };
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`portico: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

async function runRole(name: string, migrateFirst: boolean, start: (runtime: Runtime) => Promise<Stoppable>) {
  const { config, logger } = boot();
  if (name !== 'start' && !config.databaseUrl) {
    process.stderr.write(
      `portico: "${name}" runs one role in its own process, so it needs DATABASE_URL (PGlite belongs to one process).\n` +
        '         Use "portico start" to run every role together on the embedded database.\n',
    );
    process.exit(2);
  }
  const tracing = await startTracingIfConfigured(config, name);
  if (tracing) logger.info({ endpoint: config.otelEndpoint, serviceName: config.otelServiceName }, 'tracing on');
  const runtime = await createRuntime(config, logger, {
    migrate: migrateFirst || !config.databaseUrl,
    ...(tracing && { tracing }),
  });
  const running = await start(runtime);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing work in flight');
    const force = setTimeout(() => process.exit(1), 20_000).unref();
    await running.stop();
    await runtime.close();
    // Export the spans still buffered (a failing collector must not hold the exit up).
    await tracing?.shutdown().catch(() => undefined);
    clearTimeout(force);
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

/**
 * The OpenTelemetry SDK is loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set: without it no SDK
 * module is imported and nothing is wrapped, so tracing off costs nothing.
 */
async function startTracingIfConfigured(config: Config, role: string): Promise<Tracing | null> {
  if (!config.otelEndpoint) return null;
  const { startTracing } = await import('../platform/observability/tracing/sdk.js');
  return startTracing({ endpoint: config.otelEndpoint, serviceName: config.otelServiceName, role });
}

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`portico: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
