import type { CommandResult } from '../../../../shared/application/command-bus.js';
import { UserChangeHandler } from '../user-change.handler.js';
import type { DeleteUserCommand } from './delete-user.command.js';

/** Erasure: the domain records why, the repository removes the personal data everywhere it is kept. */
export class DeleteUserHandler extends UserChangeHandler<DeleteUserCommand> {
  handle(command: DeleteUserCommand): Promise<CommandResult> {
    return this.uow.erase(command.userId, (user) => {
      user.assertVersion(command.expectedVersions);
      user.delete(this.clock.now());
    });
  }
}
