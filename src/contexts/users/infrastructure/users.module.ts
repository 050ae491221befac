import type { CommandBus } from '../../../shared/application/command-bus.js';
import type { Clock } from '../../../shared/application/ports/clock.js';
import type { EventOutbox } from '../../../shared/application/ports/unit-of-work.js';
import type { QueryBus } from '../../../shared/application/query-bus.js';
import type { Database } from '../../../platform/db/database.js';
import type { Instrument } from '../../../platform/observability/metrics/timed.js';
import { ActivateUserHandler } from '../application/activate-user/activate-user.handler.js';
import { ChangePasswordHandler } from '../application/change-password/change-password.handler.js';
import { UpgradePasswordHashHandler } from '../application/upgrade-password-hash/upgrade-password-hash.handler.js';
import { CreateUserHandler } from '../application/create-user/create-user.handler.js';
import { DeactivateUserHandler } from '../application/deactivate-user/deactivate-user.handler.js';
import { DeleteUserHandler } from '../application/delete-user/delete-user.handler.js';
import { GetUserHandler } from '../application/get-user/get-user.handler.js';
import { ListUsersHandler } from '../application/list-users/list-users.handler.js';
import { UpdateProfileHandler } from '../application/update-profile/update-profile.handler.js';
import type { UserViewReader } from '../application/user-view.js';
import { PostgresUserRepository } from './persistence/postgres-user-repository.js';
import { PostgresUsersUnitOfWork } from './persistence/postgres-users-unit-of-work.js';

/** Registers the users context's command handlers (worker side). */
export function registerUsersCommands(
  bus: CommandBus,
  database: Database,
  outbox: EventOutbox,
  clock: Clock,
  instrument: Instrument = (_table, target) => target,
): void {
  const uow = new PostgresUsersUnitOfWork(
    database,
    outbox,
    instrument('users.users', new PostgresUserRepository(database)),
  );
  bus
    .register('users.create_user', new CreateUserHandler(uow, clock))
    .register('users.update_profile', new UpdateProfileHandler(uow, clock))
    .register('users.deactivate_user', new DeactivateUserHandler(uow, clock))
    .register('users.activate_user', new ActivateUserHandler(uow, clock))
    .register('users.delete_user', new DeleteUserHandler(uow, clock))
    .register('users.change_password', new ChangePasswordHandler(uow, clock))
    .register('users.upgrade_password_hash', new UpgradePasswordHashHandler(uow));
}

/** Registers the users context's queries (API side); they read the projection only. */
export function registerUsersQueries(bus: QueryBus, views: UserViewReader): void {
  bus.register('users.get_user', new GetUserHandler(views)).register('users.list_users', new ListUsersHandler(views));
}
