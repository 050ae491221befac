import type { QueryHandler } from '../../../../shared/application/query-bus.js';
import { UserNotFoundError } from '../../domain/user-errors.js';
import type { UserView, UserViewReader } from '../user-view.js';
import type { GetUserQuery } from './get-user.query.js';

export class GetUserHandler implements QueryHandler<GetUserQuery, UserView> {
  constructor(private readonly views: UserViewReader) {}

  async handle(query: GetUserQuery): Promise<UserView> {
    const view = await this.views.findById(query.userId);
    if (!view) throw new UserNotFoundError(query.userId);
    return view;
  }
}
