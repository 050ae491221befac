import { DomainError, NotFoundError } from '../../../shared/domain/domain-error.js';

export class EmailTakenError extends DomainError {
  constructor(email: string) {
    super('email_taken', `a user with email ${email} already exists`, [
      { field: 'email', message: 'is already taken' },
    ]);
  }
}

export class UsernameTakenError extends DomainError {
  constructor(username: string) {
    super('username_taken', `a user with username ${username} already exists`, [
      { field: 'username', message: 'is already taken' },
    ]);
  }
}

export class UserNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('user', id);
  }
}
