import { setTimeout as sleep } from 'node:timers/promises';
import { hashSync } from '@node-rs/bcrypt';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startTestService, type TestService } from '../support/test-service.js';

describe('auth: imported bcrypt hashes verify and are upgraded to argon2id at login', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('pglite');
  });
  afterAll(() => service.stop());

  it('logs in with a bcrypt hash, then stores an argon2id hash of the same password', async () => {
    const id = service.runtime.ids.next();
    const password = 'imported-from-legacy-42';
    // An import writes the write model directly, as a migration script would.
    await service.runtime.database.query(sql`
      insert into users.users (id, email, username, first_name, last_name, password_hash, roles, status, version, created_at, updated_at)
      values (${id}, 'legacy@example.com', 'legacy', 'Old', 'Timer', ${hashSync(password, 4)}, '{user}', 'active', 1, now(), now())`);

    const tokens = await login(service.url, 'legacy@example.com', password);
    expect(tokens.accessToken).toBeTruthy();

    let stored = '';
    for (let i = 0; i < 100 && !stored.startsWith('$argon2id$'); i += 1) {
      await sleep(50);
      const result = await service.runtime.database.query<{ password_hash: string }>(
        sql`select password_hash from users.users where id = ${id}`,
      );
      stored = result.rows[0]!.password_hash;
    }
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await login(service.url, 'legacy@example.com', password);
    const wrong = await fetch(`${service.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'legacy@example.com', password: 'not-the-password-1' }),
    });
    expect(wrong.status).toBe(401);
  });
});
