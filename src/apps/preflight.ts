import { createServer } from 'node:net';
import type { Config } from './config/config.js';
import { checkAdminAccount } from './admin-account.js';
import { DataDirInUseError, dataDirHolder } from '../platform/db/data-dir-lock.js';
import { DomainError } from '../shared/domain/domain-error.js';
import { PasswordPolicy } from '../shared/domain/password-policy.js';
import { ZxcvbnCommonPasswordList } from '../platform/system/common-password-list.js';
import { OperatorError, portProblem, unreachable } from './operator-errors.js';

export type RoleName = 'start' | 'api' | 'worker' | 'relay' | 'projector' | 'mailer';

/**
 * What a role checks before its first side effect (a directory, a database, a migration, a
 * queue): each operator mistake becomes one line with its fix, and nothing on disk has changed.
 * A port can still be taken between this check and the listen; that error reads the same.
 */
export async function preflight(config: Config, role: RoleName): Promise<void> {
  if ((role === 'start' || role === 'api') && config.adminEmail && config.adminPassword) {
    checkBootstrapAdmin(config.adminEmail, config.adminPassword);
  }
  if (config.nodeEnv === 'production' && !config.encryptionKeys) {
    // Unset, the key would come from DATABASE_URL (or DATA_DIR): whoever reads the configuration
    // or the data directory could open every token waiting in the outbox and the queues.
    throw new OperatorError(
      'ENCRYPTION_KEYS is unset: with NODE_ENV=production every role needs it (the same value in each; `openssl rand -base64 32`)',
    );
  }
  if (role === 'mailer' && config.nodeEnv === 'production' && !config.smtpUrl) {
    throw new OperatorError(
      'the mailer needs SMTP_URL (smtp://user:pass@host:587): with NODE_ENV=production there is no development mailbox',
    );
  }
  if (!config.databaseUrl) checkDataDirFree(config.dataDir);
  const listens = role === 'start' || role === 'api';
  await checkPortFree(listens ? config.port : config.metricsPort, config.host, listens ? 'PORT' : 'METRICS_PORT');
  if (config.amqpUrl) await checkBrokerAnswers(config.amqpUrl);
}

/** A running Portico holds the embedded database (its pid file names a live process). */
export function checkDataDirFree(dataDir: string): void {
  const holder = dataDirHolder(dataDir);
  if (holder !== null) throw new DataDirInUseError(dataDir, holder);
}

/** The bootstrap administrator's email and password against the rules the API applies to any user. */
function checkBootstrapAdmin(email: string, password: string): void {
  try {
    checkAdminAccount(
      new PasswordPolicy(new ZxcvbnCommonPasswordList()),
      { email, password },
      'PORTICO_ADMIN_PASSWORD',
    );
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const field = error.errors[0]?.field;
    const problem =
      field === 'email' || field === 'username' ? `PORTICO_ADMIN_EMAIL ${error.errors[0]!.message}` : error.message;
    throw new OperatorError(
      `${problem}: the bootstrap administrator needs what every user does (a password of 12 to 128 characters, ` +
        'not a common one, not containing the email or username)',
      { cause: error },
    );
  }
}

async function checkPortFree(port: number, host: string, variable: string): Promise<void> {
  if (port === 0) return;
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new OperatorError(portProblem(error.code ?? 'unknown', port, variable, host), { cause: error })),
    );
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** RabbitMQ answers and lets us in: one connection, closed at once (the transport opens its own later). */
export async function checkBrokerAnswers(url: string): Promise<void> {
  const { probeAmqp } = await import('../platform/messaging/amqp-probe.js');
  await probeAmqp(url).catch((error: unknown) => {
    throw unreachable('RabbitMQ', 'AMQP_URL', url, error);
  });
}
