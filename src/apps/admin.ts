import { administratorExists, createAdministrator } from '../contexts/users/infrastructure/accounts/administrators.js';
import { checkAdminAccount, type AdminAccount } from './admin-account.js';
import type { Runtime } from './runtime.js';

export type { AdminAccount } from './admin-account.js';

/**
 * Creates an administrator through the users context, with every context's command handlers (it
 * runs before any worker does). Returns null when `onlyIfNone` and one exists.
 */
export async function bootstrapAdmin(
  runtime: Runtime,
  account: AdminAccount,
  options: { onlyIfNone?: boolean } = {},
): Promise<string | null> {
  if (options.onlyIfNone && (await administratorExists(runtime))) return null;
  const { email, username } = checkAdminAccount(runtime.passwordPolicy, account);
  const commands = runtime.contexts.commandBus(runtime);
  const userId = await createAdministrator(runtime, commands, { email, username, password: account.password });
  runtime.logger.info({ userId, email, username }, 'administrator created');
  return userId;
}
