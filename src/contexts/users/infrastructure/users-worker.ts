import type { PlatformServices } from '../../../platform/context/platform-services.js';
import { PostgresUserRepository } from './persistence/postgres-user-repository.js';
import { PostgresUsersUnitOfWork } from './persistence/postgres-users-unit-of-work.js';
import { UserViewsProjector } from './projection/user-views.projector.js';

/** What the users command handlers and the user-views consumer run on, in any role. */
export type UsersWorker = ReturnType<typeof usersWorker>;

export function usersWorker(platform: PlatformServices) {
  const { database, outbox, clock, inbox, instrument } = platform;
  const users = instrument('users.users', new PostgresUserRepository(database));
  return {
    uow: new PostgresUsersUnitOfWork(database, outbox, users),
    clock,
    userViews: instrument('read.user_views', new UserViewsProjector(database, inbox), ['handle']),
  };
}
