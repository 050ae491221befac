import { messageContext } from '../platform/messaging/message-context.js';
import { PostgresCredentialsReader } from '../contexts/users/infrastructure/accounts/postgres-credentials-reader.js';
import type { CreateUserCommand } from '../contexts/users/application/create-user/create-user.command.js';
import { Email } from '../contexts/users/domain/email.js';
import { Username } from '../contexts/users/domain/username.js';
import type { Runtime } from './runtime.js';

export interface AdminAccount {
  readonly email: string;
  readonly password: string;
  /** Defaults to the email's local part, made into a valid username. */
  readonly username?: string;
}

/**
 * Creates an administrator directly through the users context's CreateUser handler, in one
 * transaction with its outbox events: it works before any worker runs (first start, CLI), and the
 * relay publishes the events as soon as one does. Returns null when `onlyIfNone` and one exists.
 */
export async function bootstrapAdmin(
  runtime: Runtime,
  account: AdminAccount,
  options: { onlyIfNone?: boolean } = {},
): Promise<string | null> {
  if (options.onlyIfNone && (await new PostgresCredentialsReader(runtime.database).adminExists())) return null;
  const email = Email.create(account.email);
  const username = Username.create(account.username ?? usernameFrom(email.localPart));
  runtime.passwordPolicy.check(account.password, { emailLocalPart: email.localPart, username: username.value });
  const bus = runtime.contexts.commandBus(runtime);
  const userId = runtime.ids.next();
  const command: CreateUserCommand = {
    type: 'users.create_user',
    userId,
    email: email.value,
    username: username.value,
    firstName: 'Admin',
    lastName: 'Portico',
    roles: ['admin'],
    passwordHash: await runtime.hasher.hash(account.password),
  };
  await runtime.database.transaction(() =>
    messageContext.run({ correlationId: userId, causationId: 'bootstrap' }, () => bus.execute(command)),
  );
  runtime.logger.info({ userId, email: email.value, username: username.value }, 'administrator created');
  return userId;
}

function usernameFrom(localPart: string): string {
  const cleaned = localPart
    .toLowerCase()
    .replace(/[^a-z0-9._-]/g, '-')
    .replace(/^[^a-z0-9]+/, '');
  return cleaned.length >= 3 ? cleaned.slice(0, 30) : `${cleaned}-admin`.replace(/^-/, 'admin');
}
