import type { Config } from './config/config.js';
import { ConfigError } from '../platform/config/variables.js';
import { DataDirInUseError } from '../platform/db/data-dir-lock.js';

/**
 * A mistake of whoever runs `portico`, not a bug: its message says what is wrong and how to fix it,
 * and the CLI prints that one line (no stack trace) and exits with status 2.
 */
export class OperatorError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OperatorError';
  }
}

/** The line `portico <command>` prints for an error it knows, or null for a bug (stack, status 1). */
export function explain(error: unknown, command: string, config: Config | null): string | null {
  if (error instanceof OperatorError || error instanceof ConfigError) return error.message;
  if (error instanceof DataDirInUseError) return dataDirInUse(error, command, config);
  const listen = error as NodeJS.ErrnoException & { port?: number; address?: string };
  if (listen?.syscall === 'listen' && listen.code && listen.port !== undefined) {
    return portProblem(listen.code, listen.port, portVariable(listen.port, config), listen.address);
  }
  return null;
}

/** The port's problem and its fix, or a generic line for a code this does not know. */
export function portProblem(code: string, port: number, variable: string, host?: string): string {
  if (code === 'EADDRINUSE') return `port ${port} is in use: stop the other process or set ${variable}`;
  if (code === 'EACCES') return `port ${port} needs privileges to listen on: set ${variable} to a port above 1023`;
  if (code === 'EADDRNOTAVAIL')
    return `${host ?? 'HOST'} is not an address of this machine: set HOST (127.0.0.1, or 0.0.0.0 for every interface)`;
  return `cannot listen on port ${port} (${code}): set ${variable} or HOST`;
}

function portVariable(port: number, config: Config | null): string {
  return config && port === config.metricsPort && port !== config.port ? 'METRICS_PORT' : 'PORT';
}

/** What a command can do instead while `portico start` holds the embedded database. */
const WHILE_IT_RUNS: Readonly<Record<string, (url: string) => string>> = {
  migrate: () => 'it applied every migration when it started',
  'keys list': (url) => `read the keys it publishes: curl -s ${url}/.well-known/jwks.json`,
  'admin create': (url) => `signed in as an administrator, POST ${url}/api/v1/users with "roles":["admin"]`,
};

function dataDirInUse(error: DataDirInUseError, command: string, config: Config | null): string {
  const head = `the embedded database in ${error.dataDir} is used by a running Portico (pid ${error.pid})`;
  if (command === 'start') return `${head}: stop it, or set DATA_DIR to start another one beside it`;
  const url = config?.publicUrl ?? `http://${config?.host ?? '127.0.0.1'}:${config?.port ?? 3000}`;
  const stop = `stop it (Ctrl-C where it runs, or kill ${error.pid}), run this command, then start it again`;
  const instead = WHILE_IT_RUNS[command]?.(url);
  return `${head}, and PGlite serves one process at a time: ${instead ? `${instead}; or ${stop}` : stop}`;
}

/**
 * PostgreSQL or RabbitMQ did not answer, or refused us: where (host and port, never the URL's
 * credentials), what the driver said, and the two fixes.
 */
export function unreachable(
  what: 'PostgreSQL' | 'RabbitMQ',
  variable: string,
  url: string,
  cause: unknown,
): OperatorError {
  const { hostname, port, protocol } = new URL(url);
  const defaultPort = protocol.startsWith('amqp') ? (protocol === 'amqps:' ? '5671' : '5672') : '5432';
  return new OperatorError(
    `cannot use ${what} at ${hostname}:${port || defaultPort} (${variable}): ${reasonOf(cause)}; start it, or correct ${variable}`,
    { cause },
  );
}

/**
 * The driver's own words: the innermost cause (drizzle wraps the driver's error in "Failed query"),
 * and for a connection refused at every address of a name (an AggregateError) its code.
 */
function reasonOf(cause: unknown): string {
  let error = cause as (Error & { code?: string; errors?: unknown[] }) | undefined;
  while (error?.cause instanceof Error) error = error.cause as typeof error;
  const text = error?.message || error?.code || (error?.errors?.[0] as Error | undefined)?.message || String(cause);
  return text.split('\n')[0]!;
}
