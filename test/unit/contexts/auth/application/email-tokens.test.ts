import { beforeEach, describe, expect, it } from 'vitest';
import { ConfirmEmailVerificationHandler } from '../../../../../src/contexts/auth/application/confirm-email-verification/confirm-email-verification.handler.js';
import { ForgotPasswordHandler } from '../../../../../src/contexts/auth/application/forgot-password/forgot-password.handler.js';
import { ResetPasswordHandler } from '../../../../../src/contexts/auth/application/reset-password/reset-password.handler.js';
import { PasswordPolicy } from '../../../../../src/shared/domain/password-policy.js';
import { FakePasswordHasher } from '../../../../support/in-memory/fake-password-hasher.js';
import { RequestEmailVerificationHandler } from '../../../../../src/contexts/auth/application/request-email-verification/request-email-verification.handler.js';
import { VerifyNewAccountHandler } from '../../../../../src/contexts/auth/application/verify-new-account/verify-new-account.handler.js';
import { CredentialsMother } from '../../../../mothers/credentials.mother.js';
import { emailTokensFixture } from '../../../../support/in-memory/email-tokens-fixture.js';

const fixture = () => emailTokensFixture('tok');

const account = { userId: 'u-1', email: 'ada@example.com', username: 'ada', locale: 'es' };
const plain = (f: ReturnType<typeof fixture>, n: number) => f.plain(n);

describe('EmailTokenIssuer', () => {
  let f: ReturnType<typeof fixture>;
  beforeEach(() => {
    f = fixture();
  });

  it('stores only the digest, and asks for the mail with the token sealed', async () => {
    await f.issuer.issue('email_verification', account);
    const [row] = [...f.uow.tokens.rows.values()];
    const [event] = f.uow.outbox.events;
    expect(row!.tokenHash).toBe(f.tokens.digest(plain(f, 1)));
    expect(event).toMatchObject({
      type: 'auth.email_verification.requested',
      aggregateId: 'u-1',
      aggregateVersion: 1,
      data: { email: 'ada@example.com', username: 'ada', locale: 'es', expiresAt: '2026-01-02T00:00:00.000Z' },
    });
    expect(JSON.stringify(event)).not.toContain(plain(f, 1));
  });

  it('a newer token of a kind voids the older ones of that kind only', async () => {
    await f.issuer.issue('password_reset', account);
    await f.issuer.issue('email_verification', account);
    await f.issuer.issue('password_reset', account);
    const [reset1, verification, reset2] = [...f.uow.tokens.rows.values()];
    expect(reset1!.voidedAt).not.toBeNull();
    expect(verification!.voidedAt).toBeNull();
    expect(reset2!.voidedAt).toBeNull();
    await expect(f.spender.spend(plain(f, 1), 'password_reset', { voidAllOthers: true })).rejects.toMatchObject({
      code: 'token_invalid',
    });
    await expect(f.spender.spend(plain(f, 3), 'password_reset', { voidAllOthers: true })).resolves.toBeDefined();
  });

  it('carries the new address of a change, and mails a sign-up attempt without any token', async () => {
    await f.issuer.issue('email_change', account, 'new@example.com');
    await f.issuer.notifySignUpAttempt(account);
    expect(f.uow.outbox.events[0]).toMatchObject({
      type: 'auth.email_change.requested',
      data: { newEmail: 'new@example.com' },
    });
    expect(f.uow.outbox.events[1]!.type).toBe('auth.sign_up.attempted');
    expect(f.uow.outbox.events[1]!.data).toEqual({ email: 'ada@example.com', username: 'ada', locale: 'es' });
  });

  describe('EmailTokenSpender', () => {
    it('spends a token once', async () => {
      await f.issuer.issue('email_verification', account);
      const token = plain(f, 1);
      expect((await f.spender.spend(token, 'email_verification', { voidAllOthers: false })).userId).toBe('u-1');
      await expect(f.spender.spend(token, 'email_verification', { voidAllOthers: false })).rejects.toMatchObject({
        code: 'token_invalid',
      });
    });

    it('refuses an expired token, a malformed one and an unknown one alike', async () => {
      await f.issuer.issue('password_reset', account);
      f.clock.advance(30 * 60_000);
      for (const token of [plain(f, 1), 'short', 'not a token at all, with spaces', `unknown_${'y'.repeat(30)}`]) {
        await expect(f.spender.spend(token, 'password_reset', { voidAllOthers: true }), token).rejects.toMatchObject({
          code: 'token_invalid',
        });
      }
    });

    it('a reset voids every other outstanding token of the user', async () => {
      await f.issuer.issue('email_verification', account);
      await f.issuer.issue('email_change', account, 'n@example.com');
      await f.issuer.issue('password_reset', account);
      await f.spender.spend(plain(f, 3), 'password_reset', { voidAllOthers: true });
      const rows = [...f.uow.tokens.rows.values()];
      expect(rows.map((r) => r.voidedAt !== null || r.usedAt !== null)).toEqual([true, true, true]);
      await expect(f.spender.spend(plain(f, 1), 'email_verification', { voidAllOthers: false })).rejects.toMatchObject({
        code: 'token_invalid',
      });
    });
  });
});

describe('EmailThrottle', () => {
  it('allows so many requests per address and per IP each hour, then none until the next window', async () => {
    const f = fixture();
    expect(await f.throttle.allows('10.0.0.1', 'a@example.com')).toBe(true);
    expect(await f.throttle.allows('10.0.0.1', ' A@Example.com ')).toBe(true);
    expect(await f.throttle.allows('10.0.0.2', 'a@example.com')).toBe(false);
    expect(await f.throttle.allows('10.0.0.1', 'b@example.com')).toBe(true);
    expect(await f.throttle.allows('10.0.0.1', 'c@example.com')).toBe(false);
    f.clock.advance(3_600_000);
    expect(await f.throttle.allows('10.0.0.1', 'a@example.com')).toBe(true);
  });
});

describe('RequestEmailVerificationHandler', () => {
  it('mails an active, unverified account; nothing for an unknown, verified or deactivated one', async () => {
    const f = fixture();
    const handler = new RequestEmailVerificationHandler(f.credentials, f.throttle, f.issuer);
    const unverified = f.credentials.add(CredentialsMother.active({ emailVerified: false }));
    const verified = f.credentials.add(CredentialsMother.active());
    const deactivated = f.credentials.add(CredentialsMother.active({ emailVerified: false, status: 'deactivated' }));
    for (const email of [unverified.email, verified.email, deactivated.email, 'nobody@example.com']) {
      await handler.handle({ email, ip: email });
    }
    expect(f.uow.outbox.events.map((e) => e.aggregateId)).toEqual([unverified.userId]);
  });

  it('sends nothing over the budget, and says nothing about it', async () => {
    const f = fixture();
    const handler = new RequestEmailVerificationHandler(f.credentials, f.throttle, f.issuer);
    const unverified = f.credentials.add(CredentialsMother.active({ emailVerified: false }));
    for (let i = 0; i < 3; i += 1)
      await expect(handler.handle({ email: unverified.email, ip: '10.0.0.9' })).resolves.toBeUndefined();
    expect(f.uow.outbox.events).toHaveLength(2);
  });
});

describe('ConfirmEmailVerificationHandler and VerifyNewAccountHandler', () => {
  it('a new unverified account gets its mail; its token has the accounts mark the address verified', async () => {
    const f = fixture();
    const newAccount = new VerifyNewAccountHandler(f.issuer);
    expect(await newAccount.handle({ ...account, emailVerified: true })).toBe('verified');
    expect(await newAccount.handle({ ...account, emailVerified: false })).toBe('mailed');
    const confirm = new ConfirmEmailVerificationHandler(f.spender, f.writer);
    expect(await confirm.handle({ token: plain(f, 1) })).toBe('u-1');
    expect(f.writer.verified).toEqual(['u-1']);
  });
});

describe('ForgotPasswordHandler and ResetPasswordHandler', () => {
  const setup = () => {
    const f = fixture();
    const account = f.credentials.add(CredentialsMother.active({ email: 'grace@example.com', username: 'grace' }));
    const writer = {
      hashes: [] as string[],
      replace: async (_id: string, hash: string) => void writer.hashes.push(hash),
    };
    const revoked: string[] = [];
    const reset = new ResetPasswordHandler({
      spender: f.spender,
      credentials: f.credentials,
      policy: new PasswordPolicy({ contains: (p: string) => p === 'password' }),
      hasher: new FakePasswordHasher(),
      writer,
      revokeSessions: { handle: async ({ userId }: { userId: string }) => (revoked.push(userId), ['s-1']) } as never,
    });
    return {
      f,
      account,
      writer,
      revoked,
      reset,
      forgot: new ForgotPasswordHandler(f.credentials, f.throttle, f.issuer),
    };
  };

  it('mails an active account only, within its budget', async () => {
    const { f, account, forgot } = setup();
    const off = f.credentials.add(CredentialsMother.active({ status: 'deactivated' }));
    await forgot.handle({ email: ' Grace@Example.com ', ip: '1' });
    await forgot.handle({ email: off.email, ip: '2' });
    await forgot.handle({ email: 'nobody@example.com', ip: '3' });
    await forgot.handle({ email: account.email, ip: '4' });
    await forgot.handle({ email: account.email, ip: '5' });
    expect(f.uow.outbox.events.map((e) => e.type)).toEqual([
      'auth.password_reset.requested',
      'auth.password_reset.requested',
    ]);
  });

  it('replaces the hash and revokes every session; a weak password spends nothing', async () => {
    const { f, account, writer, revoked, reset, forgot } = setup();
    await forgot.handle({ email: account.email, ip: '1' });
    const token = plain(f, 1);
    await expect(reset.handle({ token, newPassword: 'password' })).rejects.toMatchObject({ code: 'weak_password' });
    await expect(reset.handle({ token, newPassword: 'grace-is-in-it' })).rejects.toMatchObject({
      code: 'weak_password',
    });
    expect(await reset.handle({ token, newPassword: 'a-sturdy-new-secret-42' })).toEqual(['s-1']);
    expect(writer.hashes).toHaveLength(1);
    expect(revoked).toEqual([account.userId]);
    await expect(reset.handle({ token, newPassword: 'a-sturdy-new-secret-42' })).rejects.toMatchObject({
      code: 'token_invalid',
    });
  });

  it('refuses the token of an account that is gone', async () => {
    const { f, account, reset, forgot } = setup();
    await forgot.handle({ email: account.email, ip: '1' });
    f.credentials.accounts.delete(account.userId);
    await expect(reset.handle({ token: plain(f, 1), newPassword: 'a-sturdy-new-secret-42' })).rejects.toMatchObject({
      code: 'token_invalid',
    });
  });
});
