import { commandsOf, defineContext } from '../../platform/context/context-manifest.js';
import { Inbox } from '../../platform/messaging/inbox.js';
import { ActivateUserCommand } from './application/activate-user/activate-user.command.js';
import { ActivateUserHandler } from './application/activate-user/activate-user.handler.js';
import { ChangePasswordCommand } from './application/change-password/change-password.command.js';
import { ChangePasswordHandler } from './application/change-password/change-password.handler.js';
import { CreateUserCommand } from './application/create-user/create-user.command.js';
import { CreateUserHandler } from './application/create-user/create-user.handler.js';
import { DeactivateUserCommand } from './application/deactivate-user/deactivate-user.command.js';
import { DeactivateUserHandler } from './application/deactivate-user/deactivate-user.handler.js';
import { DeleteUserCommand } from './application/delete-user/delete-user.command.js';
import { DeleteUserHandler } from './application/delete-user/delete-user.handler.js';
import { UpdateProfileCommand } from './application/update-profile/update-profile.command.js';
import { UpdateProfileHandler } from './application/update-profile/update-profile.handler.js';
import { UpgradePasswordHashCommand } from './application/upgrade-password-hash/upgrade-password-hash.command.js';
import { UpgradePasswordHashHandler } from './application/upgrade-password-hash/upgrade-password-hash.handler.js';
import { ChangeEmailCommand } from './application/change-email/change-email.command.js';
import { ChangeEmailHandler } from './application/change-email/change-email.handler.js';
import { VerifyEmailCommand } from './application/verify-email/verify-email.command.js';
import { VerifyEmailHandler } from './application/verify-email/verify-email.handler.js';
import { UserEventTypes } from './domain/user-events.js';
import { activateUserRoute, deactivateUserRoute } from './infrastructure/http/change-status.route.js';
import { createUserRoute } from './infrastructure/http/create-user.route.js';
import { deleteUserRoute } from './infrastructure/http/delete-user.route.js';
import { getUserRoute } from './infrastructure/http/get-user.route.js';
import { listUsersRoute } from './infrastructure/http/list-users.route.js';
import { updateProfileRoute } from './infrastructure/http/update-profile.route.js';
import { buildUsersApi } from './infrastructure/http/users-api.js';
import { usersWorker, type UsersWorker } from './infrastructure/users-worker.js';
import { usersTable } from './infrastructure/persistence/users.table.js';
import { userViewsTable } from './infrastructure/projection/user-views.table.js';
import { USER_VIEWS_PROJECTION, UserViewsProjector } from './infrastructure/projection/user-views.projector.js';

const command = commandsOf<UsersWorker>();

/** The users context: accounts and profiles as commands, and the `user_views` read model. */
export const usersContext = defineContext({
  name: 'users',
  description: 'Accounts and profiles: every write is a command, every read the user_views projection',
  worker: usersWorker,
  commands: {
    'users.create_user': command(CreateUserCommand, (w) => new CreateUserHandler(w.uow, w.clock)),
    'users.update_profile': command(UpdateProfileCommand, (w) => new UpdateProfileHandler(w.uow, w.clock)),
    'users.deactivate_user': command(DeactivateUserCommand, (w) => new DeactivateUserHandler(w.uow, w.clock)),
    'users.activate_user': command(ActivateUserCommand, (w) => new ActivateUserHandler(w.uow, w.clock)),
    'users.delete_user': command(DeleteUserCommand, (w) => new DeleteUserHandler(w.uow, w.clock)),
    'users.change_password': command(ChangePasswordCommand, (w) => new ChangePasswordHandler(w.uow, w.clock)),
    'users.upgrade_password_hash': command(UpgradePasswordHashCommand, (w) => new UpgradePasswordHashHandler(w.uow)),
    'users.verify_email': command(VerifyEmailCommand, (w) => new VerifyEmailHandler(w.uow, w.clock)),
    'users.change_email': command(ChangeEmailCommand, (w) => new ChangeEmailHandler(w.uow, w.clock)),
  },
  events: Object.values(UserEventTypes),
  consumers: [
    {
      queue: 'read-model.user-views',
      subscribesTo: ['users.user.#'],
      handler: (w) => (delivery) => w.userViews.handle(delivery),
      projection: {
        name: USER_VIEWS_PROJECTION,
        table: 'read.user_views',
        applierFor: (database, table) => {
          const projector = new UserViewsProjector(database, new Inbox(database), table);
          return (event) => projector.apply(event);
        },
      },
    },
  ],
  api: async (platform) => buildUsersApi(platform),
  routes: [
    createUserRoute,
    getUserRoute,
    listUsersRoute,
    updateProfileRoute,
    activateUserRoute,
    deactivateUserRoute,
    deleteUserRoute,
  ],
  // Sent by the adapters users hands the auth context (infrastructure/accounts).
  portSends: [
    'users.create_user',
    'users.change_password',
    'users.upgrade_password_hash',
    'users.verify_email',
    'users.change_email',
  ],
  tables: { usersTable, userViewsTable },
  errors: {
    email_taken: { status: 409, title: 'The email is already taken' },
    username_taken: { status: 409, title: 'The username is already taken' },
  },
  operationsMetric: 'user_operations_total',
});
