import { describe, expect, it } from 'vitest';
import { ConfirmEmailChangeHandler } from '../../../../../src/contexts/auth/application/confirm-email-change/confirm-email-change.handler.js';
import { RequestEmailChangeHandler } from '../../../../../src/contexts/auth/application/request-email-change/request-email-change.handler.js';
import { ACCOUNT_PASSWORD, CredentialsMother } from '../../../../mothers/credentials.mother.js';
import { FakePasswordHasher } from '../../../../support/in-memory/fake-password-hasher.js';
import { emailTokensFixture } from '../../../../support/in-memory/email-tokens-fixture.js';

function fixture() {
  const f = emailTokensFixture('chg');
  const revoked: string[] = [];
  const revokeSessions = {
    handle: async ({ userId, reason }: { userId: string; reason: string }) => (
      revoked.push(`${userId}:${reason}`),
      ['s-1']
    ),
  } as never;
  const account = f.credentials.add(CredentialsMother.active({ email: 'ada@example.com', username: 'ada' }));
  const { credentials, throttle, issuer, spender, writer } = f;
  return {
    ...f,
    revoked,
    account,
    request: new RequestEmailChangeHandler({
      credentials,
      hasher: new FakePasswordHasher(),
      throttle,
      issuer,
      accounts: writer,
    }),
    confirm: new ConfirmEmailChangeHandler({ spender, accounts: writer, revokeSessions }),
  };
}

const ask = (f: ReturnType<typeof fixture>, newEmail: string, currentPassword = ACCOUNT_PASSWORD, ip = '10.0.0.1') =>
  f.request.handle({ userId: f.account.userId, newEmail, currentPassword, ip });

describe('RequestEmailChangeHandler', () => {
  it('with the right password: one event asks for the confirmation (new address) and the notice (old one)', async () => {
    const f = fixture();
    await ask(f, ' Ada@New.Example.com ');
    expect(f.uow.outbox.events).toMatchObject([
      {
        type: 'auth.email_change.requested',
        aggregateId: f.account.userId,
        data: { email: 'ada@example.com', newEmail: 'ada@new.example.com', expiresAt: '2026-01-01T01:00:00.000Z' },
      },
    ]);
    const [row] = [...f.uow.tokens.rows.values()];
    expect(row).toMatchObject({ kind: 'email_change', newEmail: 'ada@new.example.com' });
  });

  it('a wrong password is invalid_credentials; a malformed or unchanged address validation_failed; nothing issued', async () => {
    const f = fixture();
    await expect(ask(f, 'ada@new.example.com', 'wrong-password-entirely')).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    await expect(ask(f, 'not an address')).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(ask(f, 'ADA@example.com')).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [{ field: 'newEmail' }],
    });
    expect(f.uow.outbox.events).toEqual([]);
  });

  it('an address with an account, or over a budget, gets nothing and the same answer', async () => {
    const f = fixture();
    const other = f.credentials.add(CredentialsMother.active());
    await expect(ask(f, other.email)).resolves.toBeUndefined();
    await ask(f, 'one@example.com', ACCOUNT_PASSWORD, '10.0.0.2');
    await ask(f, 'one@example.com', ACCOUNT_PASSWORD, '10.0.0.3');
    await expect(ask(f, 'one@example.com', ACCOUNT_PASSWORD, '10.0.0.4')).resolves.toBeUndefined();
    expect(f.uow.outbox.events).toHaveLength(2);
  });
});

describe('ConfirmEmailChangeHandler', () => {
  it('spends the token, moves the account, revokes every session, voids the other tokens; once only', async () => {
    const f = fixture();
    await f.issuer.issue('email_verification', f.account);
    await ask(f, 'ada@new.example.com');
    expect(await f.confirm.handle({ token: f.plain(2) })).toEqual({
      userId: f.account.userId,
      email: 'ada@new.example.com',
      revoked: ['s-1'],
    });
    expect(f.writer.changed).toEqual([{ userId: f.account.userId, email: 'ada@new.example.com' }]);
    expect(f.revoked).toEqual([`${f.account.userId}:email_changed`]);
    expect([...f.uow.tokens.rows.values()].every((r) => r.usedAt !== null || r.voidedAt !== null)).toBe(true);
    await expect(f.confirm.handle({ token: f.plain(2) })).rejects.toMatchObject({ code: 'token_invalid' });
  });

  it('a newer request voids the older token; an expired one and another kind are token_invalid', async () => {
    const f = fixture();
    await ask(f, 'first@example.com');
    await ask(f, 'second@example.com');
    await expect(f.confirm.handle({ token: f.plain(1) })).rejects.toMatchObject({ code: 'token_invalid' });
    await f.issuer.issue('password_reset', f.account);
    await expect(f.confirm.handle({ token: f.plain(3) })).rejects.toMatchObject({ code: 'token_invalid' });
    f.clock.advance(3_600_000);
    await expect(f.confirm.handle({ token: f.plain(2) })).rejects.toMatchObject({ code: 'token_invalid' });
    expect(f.writer.changed).toEqual([]);
  });

  it('an address taken meanwhile is email_taken, and no session is revoked', async () => {
    const f = fixture();
    await ask(f, 'taken-later@example.com');
    f.writer.taken.add('taken-later@example.com');
    await expect(f.confirm.handle({ token: f.plain(1) })).rejects.toMatchObject({ code: 'email_taken' });
    expect(f.revoked).toEqual([]);
  });
});
