import type { PlatformServices } from '../../../../platform/context/platform-services.js';
import { messageContext } from '../../../../platform/messaging/message-context.js';
import type { CommandBus } from '../../../../shared/application/command-bus.js';
import { createUserCommand, newUserFields } from '../../application/create-user/new-user-fields.js';
import { PostgresCredentialsReader } from './postgres-credentials-reader.js';

/** Whether an administrator who can sign in exists (deactivated ones count; deleted ones do not). */
export function administratorExists(platform: Pick<PlatformServices, 'database'>): Promise<boolean> {
  return new PostgresCredentialsReader(platform.database).adminExists();
}

/**
 * Creates an administrator directly through the CreateUser handler on `commands`, in one
 * transaction with its outbox events: it works before any worker runs (first start, CLI), and the
 * relay publishes the events as soon as one does. Returns the new user's id.
 */
export async function createAdministrator(
  platform: Pick<PlatformServices, 'database' | 'hasher' | 'ids'>,
  commands: CommandBus,
  account: { readonly email: string; readonly username: string; readonly password: string },
): Promise<string> {
  const userId = platform.ids.next();
  const fields = newUserFields({ ...account, firstName: 'Admin', lastName: 'Portico', roles: ['admin'] });
  const command = createUserCommand(userId, fields, await platform.hasher.hash(account.password));
  await platform.database.transaction(() =>
    messageContext.run({ correlationId: userId, causationId: 'bootstrap' }, () => commands.execute(command)),
  );
  return userId;
}
