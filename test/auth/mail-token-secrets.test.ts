import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mailbox } from '../support/mailbox.js';
import { login, newUserBody, startTestService, type TestService } from '../support/test-service.js';
import { call, expectNoSecretInTables } from './support.js';

const NEW_PASSWORD = 'reset-secret-passphrase-553';

/**
 * The secret scan of password-change-and-secrets.test.ts, for mailed tokens: a token exists in
 * the mail and nowhere else (verification, reset, change of address), not in a table (the outbox, the queue, the tokens' own table, the
 * mail log), not in a log line, even while its mail is still waiting to be sent.
 */
describe('auth: no plaintext mailed token anywhere but in the mail', () => {
  let service: TestService;
  const logLines: string[] = [];
  const tokens: string[] = [];

  // Three mails, two sign-ins and two confirmations through the queue: slow on a busy machine.
  beforeAll(async () => {
    service = await startTestService('pglite', {}, { logLines });
    const user = newUserBody('mailsecret');
    expect((await call(service, 'POST', '/api/v1/auth/register', user, null, { prefer: 'wait=10' })).status).toBe(201);
    expect((await call(service, 'POST', '/api/v1/auth/password/forgot', { email: user.email })).status).toBe(202);
    const mailbox = new Mailbox(service.url);
    tokens.push((await mailbox.waitFor(user.email, 'email-verification')).token!);
    tokens.push((await mailbox.waitFor(user.email, 'password-reset')).token!);
    const reset = await call(service, 'POST', '/api/v1/auth/password/reset', {
      token: tokens[1],
      newPassword: NEW_PASSWORD,
    });
    expect(reset.status).toBe(204);
    // A change of address: its token, confirmed, and the password that asked for it.
    const { accessToken } = await login(service.url, user.email, NEW_PASSWORD);
    const newEmail = 'mailsecret-new@example.com';
    const body = { newEmail, currentPassword: NEW_PASSWORD };
    expect((await call(service, 'POST', '/api/v1/auth/email/change', body, accessToken)).status).toBe(202);
    tokens.push((await mailbox.waitFor(newEmail, 'email-change-confirmation')).token!);
    const confirmed = await call(service, 'POST', '/api/v1/auth/email/change/confirm', { token: tokens[2] });
    expect(confirmed.status).toBe(200);
  }, 120_000);
  afterAll(() => service.stop());

  it('never stores, queues or logs a token or the new password (every table, every message, every log line)', async () => {
    await sleep(500);
    expect(tokens.every((t) => /^[\w-]{43}$/.test(t))).toBe(true);
    const { database } = service.runtime;
    const { tables, scanned } = await expectNoSecretInTables(database, [...tokens, NEW_PASSWORD]);
    expect(tables).toEqual(
      expect.arrayContaining(['auth.email_tokens', 'mail.deliveries', 'messaging.outbox', 'messaging.queue_messages']),
    );
    expect(scanned).toBeGreaterThan(10);
    // The events that asked for the mails carry the token sealed.
    const sealed = await database.query<{ sealed: string }>(sql`
      select data->>'sealedToken' as sealed from messaging.outbox where type like 'auth.%.requested'`);
    expect(sealed.rows.length).toBeGreaterThanOrEqual(3);
    for (const { sealed: box } of sealed.rows) expect(box).toMatch(/^v1\./);
    expect(logLines.length).toBeGreaterThan(10);
    for (const line of logLines) for (const secret of [...tokens, NEW_PASSWORD]) expect(line).not.toContain(secret);
  });
});
