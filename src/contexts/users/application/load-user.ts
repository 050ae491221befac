import type { User } from '../domain/user.js';
import { UserNotFoundError } from '../domain/user-errors.js';
import type { UserRepository } from '../domain/user-repository.js';

export async function loadUser(users: UserRepository, id: string): Promise<User> {
  const user = await users.findById(id);
  if (!user) throw new UserNotFoundError(id);
  return user;
}
