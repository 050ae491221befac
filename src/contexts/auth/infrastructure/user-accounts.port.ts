import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TObject } from 'typebox';
import type { Caller } from '../../../platform/http/access-policy.js';
import type { PasswordHashUpgrader } from '../application/auth-ports.js';
import type { AccountEmailWriter } from '../application/email-token-ports.js';
import type { PasswordHashWriter } from '../application/change-password/change-password.handler.js';
import type { CredentialsReader } from '../domain/credentials.js';

/**
 * Everything auth needs from the context that owns the accounts, as ports: auth reads no other
 * context's table and builds no other context's command. The users context provides the adapters
 * (its infrastructure/accounts); test/contracts checks them against these ports.
 */
export interface UserAccounts {
  readonly credentials: CredentialsReader;
  readonly passwordWriter: PasswordHashWriter;
  readonly upgrader: PasswordHashUpgrader;
  /** A verified address, a changed address (`email_taken` if another account took it meanwhile). */
  readonly emailWriter: AccountEmailWriter;
  /** Self sign-up: validates, hashes and starts the account's creation (202, or the user with Prefer: wait). */
  readonly signUp: {
    readonly body: TObject;
    readonly user: TObject;
    respond(request: FastifyRequest, reply: FastifyReply, caller: Caller, body: never): Promise<FastifyReply>;
    /** Starts the account's creation (rules checked, 400 if broken) and answers nothing about it. */
    enqueue(caller: Caller, body: never): Promise<void>;
  };
  /** The signed-in user's profile, with its version (the ETag). */
  readonly profile: {
    readonly user: TObject;
    find(userId: string): Promise<{ version: number; body: unknown } | null>;
  };
}
