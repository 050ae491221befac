import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, newUserBody, startTestService, type TestService } from '../support/test-service.js';
import { call, codeOf, expectNoSecretInTables } from './support.js';

const FIRST = 'first-secret-passphrase-917';
const SECOND = 'second-secret-passphrase-428';

describe('auth: change password, and no plaintext password anywhere', () => {
  let service: TestService;
  const logLines: string[] = [];

  beforeAll(async () => {
    service = await startTestService('pglite', {}, { logLines });
    const registered = await call(
      service,
      'POST',
      '/api/v1/auth/register',
      newUserBody('secret', { password: FIRST }),
      null,
      {
        prefer: 'wait=10',
      },
    );
    expect(registered.status).toBe(201);
  });
  afterAll(() => service.stop());

  it('changes the password: the old one stops working, other sessions end, this one stays', async () => {
    const here = await login(service.url, 'personsecret@example.com', FIRST);
    const elsewhere = await login(service.url, 'personsecret@example.com', FIRST);

    const changePassword = (currentPassword: string, newPassword: string) =>
      call(service, 'POST', '/api/v1/auth/password', { currentPassword, newPassword }, here.accessToken);

    expect(await codeOf(await changePassword('not-the-current-one', SECOND))).toBe('invalid_credentials');
    expect(await codeOf(await changePassword(FIRST, 'short'))).toBe('weak_password');

    const changed = await changePassword(FIRST, SECOND);
    expect(changed.status).toBe(204);

    const oldLogin = await call(service, 'POST', '/api/v1/auth/login', {
      email: 'personsecret@example.com',
      password: FIRST,
    });
    expect(await codeOf(oldLogin)).toBe('invalid_credentials');
    await login(service.url, 'personsecret@example.com', SECOND);

    expect((await call(service, 'GET', '/api/v1/auth/me', undefined, here.accessToken)).status).toBe(200);
    expect((await call(service, 'GET', '/api/v1/auth/me', undefined, elsewhere.accessToken)).status).toBe(401);
    const refresh = await call(service, 'POST', '/api/v1/auth/refresh', { refreshToken: elsewhere.refreshToken });
    expect(await codeOf(refresh)).toBe('refresh_token_invalid');
  });

  it('never stores, queues or logs a plaintext password (every table, every message, every log line)', async () => {
    await sleep(500); // let the relay and projector finish with the events above
    const { database } = service.runtime;
    const { tables, scanned } = await expectNoSecretInTables(database, [FIRST, SECOND]);
    expect(tables.length).toBeGreaterThan(10);
    expect(scanned).toBeGreaterThan(10);
    expect(logLines.length).toBeGreaterThan(10);
    for (const line of logLines) {
      expect(line).not.toContain(FIRST);
      expect(line).not.toContain(SECOND);
    }
    // Hashes exist, and they are argon2id PHC strings, not something reversible.
    const hashes = await database.query<{ password_hash: string }>(sql`select password_hash from users.users`);
    for (const { password_hash } of hashes.rows) expect(password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});
