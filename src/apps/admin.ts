import type { PasswordHasher } from '../shared/application/ports/password-hasher.js';
import { CommandBus } from '../shared/application/command-bus.js';
import type { PasswordPolicy } from '../shared/domain/password-policy.js';
import { messageContext } from '../platform/messaging/message-context.js';
import type { CreateUserCommand } from '../contexts/users/application/create-user/create-user.command.js';
import { Email } from '../contexts/users/domain/email.js';
import { Username } from '../contexts/users/domain/username.js';
import { registerUsersCommands } from '../contexts/users/infrastructure/users.module.js';
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
 * relay publishes the events as soon as one does.
 */
export async function bootstrapAdmin(
  runtime: Runtime,
  account: AdminAccount,
  hasher: PasswordHasher,
  policy: PasswordPolicy,
): Promise<string> {
  const email = Email.create(account.email);
  const username = Username.create(account.username ?? usernameFrom(email.localPart));
  policy.check(account.password, { emailLocalPart: email.localPart, username: username.value });
  const bus = new CommandBus();
  registerUsersCommands(bus, runtime.database, runtime.outbox, runtime.clock);
  const userId = runtime.ids.next();
  const command: CreateUserCommand = {
    type: 'users.create_user',
    userId,
    email: email.value,
    username: username.value,
    firstName: 'Admin',
    lastName: 'Portico',
    roles: ['admin'],
    passwordHash: await hasher.hash(account.password),
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
