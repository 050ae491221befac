import { Command } from 'commander';
import { CONFIG_TABLE, loadConfig, type Config } from './config/config.js';
import { createLogger, type Logger } from '../platform/logging/logger.js';
import type { Tracing } from '../platform/observability/tracing/tracing.js';
import { registerOperatorCommands } from './commands/index.js';
import { openDatabase } from './database-startup.js';
import { explain, OperatorError } from './operator-errors.js';
import { checkDataDirFree, preflight, type RoleName } from './preflight.js';
import type { StartedRole } from './roles.js';
import type { Runtime } from './runtime.js';

const program = new Command()
  .name('portico')
  .description('Portico: a self-hostable user and authentication service')
  .showHelpAfterError()
  .addHelpText('after', `\nConfiguration comes from environment variables:\n${CONFIG_TABLE.help()}`);

/** The command being run ("keys list"), and the configuration once read: what a one-line error names. */
let invoked = 'portico';
let configured: Config | null = null;
program.hook('preAction', (_program, action) => {
  const names: string[] = [];
  for (let command: Command | null = action; command && command !== program; command = command.parent) {
    names.unshift(command.name());
  }
  invoked = names.join(' ');
});

program
  .command('start')
  .description('run every role in one process: api, worker, relay, projector and mailer (migrates first)')
  .action(() => runRole('start'));

program
  .command('migrate')
  .description('apply database migrations and exit')
  .action(async () => {
    const { config, logger } = boot();
    if (!config.databaseUrl) checkDataDirFree(config.dataDir);
    const database = await openDatabase(config, logger, { migrate: true });
    await database.close();
  });

registerOperatorCommands(program);

const ROLE_DESCRIPTIONS: Readonly<Record<Exclude<RoleName, 'start'>, string>> = {
  api: 'run the HTTP API only',
  worker: 'run a command worker only',
  relay: 'run the outbox relay only',
  projector: "run the event consumers only: every context's projections and reactions, but the mailer's",
  mailer: "run the mailer only: the mail context's consumer, which sends the mails over SMTP_URL",
};
for (const [name, description] of Object.entries(ROLE_DESCRIPTIONS)) {
  program
    .command(name)
    .description(`${description} (needs DATABASE_URL: roles in separate processes share a server)`)
    .action(() => runRole(name as RoleName));
}

function configIfValid(): Config | null {
  try {
    return loadConfig();
  } catch {
    return null;
  }
}

function boot(): { config: Config; logger: Logger } {
  const config = loadConfig();
  configured = config;
  return { config, logger: createLogger({ level: config.logLevel, pretty: config.prettyLogs }) };
}

/**
 * Checks what an operator can get wrong before touching anything, then opens the database while
 * the rest of the application's modules load (the two are the bulk of a start), then starts the role.
 */
async function runRole(name: RoleName) {
  const { config, logger } = boot();
  if (name !== 'start' && !config.databaseUrl) {
    throw new OperatorError(
      `"${name}" runs one role in its own process, so it needs DATABASE_URL (PGlite belongs to one process); ` +
        'use "portico start" to run every role together on the embedded database',
    );
  }
  await preflight(config, name);
  const application = import('./roles.js');
  application.catch(() => undefined); // awaited below; not "unhandled" while the database opens
  const tracing = await startTracingIfConfigured(config, name);
  if (tracing) logger.info({ endpoint: config.otelEndpoint, serviceName: config.otelServiceName }, 'tracing on');
  const migrate = name === 'start' || !config.databaseUrl;
  // With tracing, the runtime opens it: the SQL client is wrapped for spans.
  const database = tracing ? undefined : await openDatabase(config, logger, { migrate });
  const { ROLES, createRuntime } = await application;
  const runtime = await createRuntime(config, logger, {
    migrate,
    ...(database && { database }),
    ...(tracing && { tracing }),
  });
  let running: StartedRole;
  try {
    running = await ROLES[name](runtime);
  } catch (error) {
    await runtime.close().catch(() => undefined);
    throw error;
  }
  logReady(logger, name, running.url);
  stopOnSignals(logger, running, runtime, tracing);
}

function logReady(logger: Logger, role: RoleName, url: string): void {
  const seconds = process.uptime().toFixed(1);
  if (role === 'start' || role === 'api') {
    const docs = `${url}/docs`;
    logger.info({ url, docs }, `Portico is ready in ${seconds} s: API ${url}  ·  docs ${docs}`);
  } else {
    logger.info({ url }, `Portico ${role} is ready in ${seconds} s: metrics ${url}`);
  }
}

function stopOnSignals(logger: Logger, running: StartedRole, runtime: Runtime, tracing: Tracing | null): void {
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

// An operator's mistake (configuration, a port in use, the embedded database in use, an unreachable
// server…) is one line with its fix and status 2; anything else is a bug: its stack, status 1.
program.parseAsync(process.argv).catch((error: unknown) => {
  const line = explain(error, invoked, configured ?? configIfValid());
  if (line !== null) {
    process.stderr.write(`portico: ${line}\n`);
    process.exit(2);
  }
  process.stderr.write(`portico: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
