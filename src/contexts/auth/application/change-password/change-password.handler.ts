import type { Clock } from '../../../../shared/application/ports/clock.js';
import type { PasswordHasher } from '../../../../shared/application/ports/password-hasher.js';
import type { PasswordPolicy } from '../../../../shared/domain/password-policy.js';
import { AuthEventTypes } from '../../domain/auth-events.js';
import { InvalidCredentialsError } from '../../domain/auth-errors.js';
import type { CredentialsReader } from '../../domain/credentials.js';
import type { AuthUnitOfWork } from '../auth-ports.js';
import type { RevokeUserSessionsHandler } from '../revoke-user-sessions/revoke-user-sessions.handler.js';

export interface ChangePasswordRequest {
  readonly userId: string;
  readonly sessionId: string;
  readonly currentPassword: string;
  readonly newPassword: string;
}

/** Port: asks the users context to store a new hash and reports once it has. */
export interface PasswordHashWriter {
  replace(userId: string, passwordHash: string): Promise<void>;
}

/**
 * Change password: the current one must verify, the new one must pass the policy; then the hash is
 * replaced and every other session of the user is revoked (this one stays signed in).
 */
export class ChangePasswordHandler {
  constructor(
    private readonly deps: {
      credentials: CredentialsReader;
      hasher: PasswordHasher;
      policy: PasswordPolicy;
      writer: PasswordHashWriter;
      revokeSessions: RevokeUserSessionsHandler;
      uow: AuthUnitOfWork;
      clock: Clock;
    },
  ) {}

  async handle(request: ChangePasswordRequest): Promise<string[]> {
    const { credentials, hasher, policy, writer, revokeSessions, uow, clock } = this.deps;
    const account = await credentials.findByUserId(request.userId);
    if (!account || !(await hasher.verify(account.passwordHash, request.currentPassword))) {
      throw new InvalidCredentialsError();
    }
    policy.check(
      request.newPassword,
      { emailLocalPart: account.email.slice(0, account.email.lastIndexOf('@')), username: account.username },
      'newPassword',
    );
    await writer.replace(request.userId, await hasher.hash(request.newPassword));
    const revoked = await revokeSessions.handle({
      userId: request.userId,
      reason: 'password_changed',
      exceptSessionId: request.sessionId,
    });
    await uow.run(({ outbox }) =>
      outbox.append([
        {
          type: AuthEventTypes.passwordChanged,
          version: 1,
          occurredAt: clock.now(),
          aggregateId: request.userId,
          aggregateVersion: 0,
          data: { userId: request.userId, sessionId: request.sessionId },
        },
      ]),
    );
    return revoked;
  }
}
