import { messageContext } from '../platform/messaging/message-context.js';
import { PostgresCredentialsReader } from '../contexts/users/infrastructure/accounts/postgres-credentials-reader.js';
import type { CreateUserCommand } from '../contexts/users/application/create-user/create-user.command.js';
import { checkAdminAccount, type AdminAccount } from './admin-account.js';
import type { Runtime } from './runtime.js';

export type { AdminAccount } from './admin-account.js';

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
  const { email, username } = checkAdminAccount(runtime.passwordPolicy, account);
  const bus = runtime.contexts.commandBus(runtime);
  const userId = runtime.ids.next();
  const command: CreateUserCommand = {
    type: 'users.create_user',
    userId,
    email,
    username,
    firstName: 'Admin',
    lastName: 'Portico',
    roles: ['admin'],
    passwordHash: await runtime.hasher.hash(account.password),
  };
  await runtime.database.transaction(() =>
    messageContext.run({ correlationId: userId, causationId: 'bootstrap' }, () => bus.execute(command)),
  );
  runtime.logger.info({ userId, email, username }, 'administrator created');
  return userId;
}
