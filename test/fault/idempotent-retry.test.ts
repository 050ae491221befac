import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import {
  adminAuthorization,
  killAllServices,
  restartService,
  startService,
  type ServiceProcess,
} from '../support/service-process.js';
import { request, until, type Answer } from './http-client.js';

/**
 * API.md: a repeat with the same Idempotency-Key gets the first answer, "no second command". The
 * case that matters most is the one a client cannot avoid: it sent a keyed write with
 * `Prefer: wait`, the service accepted (and even applied) it, died before answering, and the client
 * sends the same request again to the restarted service.
 *
 * Before the fix the key stayed reserved without an answer: the retry waited 35 s, got 409
 * `idempotency_key_in_use`, and 60 s after the first attempt it took the key over and started a
 * second command (for a create: a 409 `email_taken` for the client's own user).
 */
describe('kill -9 after a keyed command was accepted, before it was answered', () => {
  const dataDir = join(tmpdir(), `portico-fault-idem-${randomUUID()}`);
  afterAll(async () => {
    await killAllServices();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'the retry with the same key gets the first answer and starts no second command',
    { timeout: 120_000 },
    async () => {
      // Debug logs: the worker's "command handled" line (inside its transaction) is the moment to kill.
      const env = { DATA_DIR: dataDir, HASH_CONCURRENCY: '2', LOG_LEVEL: 'debug' };
      let service: ServiceProcess = await startService({ env });
      let authorization = await adminAuthorization(service.url);

      // The kill must land after the API accepted the command and before it answered. The worker
      // handling it is well inside that window (the API answers once the read model shows the user);
      // should the answer still win the race, the attempt is repeated with a fresh key.
      let attempt = 0;
      let key = '';
      let body: Record<string, string> = {};
      for (;;) {
        attempt += 1;
        key = `idem-crash-${attempt}`;
        body = {
          email: `idem${attempt}@example.com`,
          username: `idem${attempt}`,
          firstName: 'Grace',
          lastName: 'Hopper',
          password: 'compiler-pioneer-1952',
        };
        const handledBefore = service.logCount();
        const first = request(`${service.url}/api/v1/users`, 'POST', body, {
          authorization,
          'idempotency-key': key,
          'x-request-id': `first-${attempt}`,
          prefer: 'wait=30',
        }).then(
          (answer): Answer | null => answer,
          () => null,
        );
        await service.waitForLog(
          (line, seq) => seq >= handledBefore && line.msg === 'command handled' && line.command === 'users.create_user',
          30_000,
        );
        await service.kill9();
        const answered = await first;
        const port = service.port;
        service = await restartService(service, { env });
        // The token's issuer is the URL: on another port (the old one was taken) log in again.
        if (service.port !== port) authorization = await adminAuthorization(service.url);
        if (answered === null) break;
        expect(attempt, `the API answered before the kill ${attempt} times`).toBeLessThan(3);
      }

      const retryStarted = Date.now();
      const retry = await until(Date.now() + 90_000, 500, async () => {
        const answer = await request(
          `${service.url}/api/v1/users`,
          'POST',
          body,
          {
            authorization,
            'idempotency-key': key,
            'x-request-id': `retry-${attempt}`,
            prefer: 'wait=30',
          },
          40_000,
        );
        return answer.status === 409 && (answer.body as { code?: string }).code === 'idempotency_key_in_use'
          ? null
          : answer;
      });
      const retryMs = Date.now() - retryStarted;
      expect(retry?.status, JSON.stringify(retry)).toBe(202);
      // The command may have died with the process before it committed: it is redelivered.
      const commandId = (retry?.body as { commandId?: string } | undefined)?.commandId;
      let last: unknown = null;
      const done = await until(Date.now() + 30_000, 200, async () => {
        const status = await request(`${service.url}/api/v1/commands/${commandId}`, 'GET', undefined, {
          authorization,
        });
        last = status;
        return status.status === 200 && (status.body as { status: string }).status !== 'pending' ? status.body : null;
      });
      expect(
        done,
        `command ${commandId}: ${JSON.stringify(last)}\n${service.output.slice(-15).join('\n')}`,
      ).toMatchObject({
        status: 'succeeded',
      });
      expect(await service.stop()).toMatchObject({ code: 0 });

      const db = new PGlite(dataDir);
      try {
        const commands = await db.query<{ correlation_id: string; status: string; resource_id: string }>(
          `select correlation_id, status, resource_id from messaging.command_status
          where correlation_id in ('first-${attempt}', 'retry-${attempt}') order by created_at`,
        );
        const users = await db.query<{ id: string }>(`select id from users.users where email = '${body.email}'`);
        console.log(
          `[fault:idempotent-retry] attempts=${attempt} retry=${retry?.status} ${JSON.stringify(retry?.body)} ` +
            `retryMs=${retryMs} commands=${JSON.stringify(commands.rows)}`,
        );
        // One command, the first one, and the retry was told about it.
        expect(commands.rows).toEqual([
          { correlation_id: `first-${attempt}`, status: 'succeeded', resource_id: users.rows[0]?.id },
        ]);
        expect(retry?.body).toMatchObject({ resourceId: users.rows[0]?.id });
        expect(retryMs).toBeLessThan(5_000);
      } finally {
        await db.close();
      }
    },
  );
});
