import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  adminAuthorization,
  killAllServices,
  spawnService,
  startService,
  type Exit,
} from '../support/service-process.js';
import { request, sleep, until } from './http-client.js';

/**
 * kill -9 while the embedded service is still starting must leave nothing half-done: not the
 * PGlite directory being created, not the migrations, not the admin bootstrap, and not the
 * `portico.pid` lock, which the next start takes over from the dead process.
 */
describe('kill -9 right after the start (embedded)', () => {
  const dataDir = join(tmpdir(), `portico-fault-early-${randomUUID()}`);
  const env = { DATA_DIR: dataDir, HASH_CONCURRENCY: '2' };
  const lockFile = join(dataDir, 'portico.pid');
  afterAll(async () => {
    await killAllServices();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'restarts cleanly after kills during the first boot, the migrations and just after ready',
    { timeout: 120_000 },
    async () => {
      const kills: { at: string; exit: Exit; lockHolder: number | null }[] = [];
      const lockHolder = () => (existsSync(lockFile) ? Number(readFileSync(lockFile, 'utf8')) : null);

      // 1. While initdb writes the new database, in its child process, into a staging folder
      //    (PG_VERSION comes early). Before the marker, a kill while PGlite wrote in place left a
      //    cluster no later start could open, about one time in three.
      const first = spawnService({ env });
      const staging = () =>
        existsSync(dataDir) ? readdirSync(dataDir).find((e) => e.startsWith('.initdb-')) : undefined;
      const writing = await until(Date.now() + 30_000, 1, async () => {
        const folder = staging();
        if (folder && existsSync(join(dataDir, folder, 'PG_VERSION'))) return folder;
        return first.hasExited ? 'exited' : null;
      });
      expect(writing, 'initdb was seen writing into its staging folder').toMatch(/^\.initdb-\d+$/);
      const stagingAtKill = join(dataDir, writing!);
      // kill -9 of the one process, as an operator would: its initdb child is not in the signal.
      process.kill(first.pid, 'SIGKILL');
      kills.push({ at: 'creating the database', exit: await first.exited, lockHolder: lockHolder() });
      const entriesAtKill = readdirSync(stagingAtKill).length;
      // The child running initdb does not outlive the start that spawned it.
      const killed = Date.now();
      expect(await until(Date.now() + 15_000, 20, async () => (initdbRunningIn(stagingAtKill) ? null : true))).toBe(
        true,
      );
      const orphanMs = Date.now() - killed;

      // 2. As soon as the database is open: migrations and the admin bootstrap are running.
      const second = spawnService({ env });
      await second.waitForLog((line) => line.msg === 'database opened', 30_000);
      kills.push({ at: 'migrating', exit: await second.kill9(), lockHolder: lockHolder() });

      // 3. Right after "ready": the worker, relay and projector have just started.
      const third = await startService({ env });
      kills.push({ at: 'just ready', exit: await third.kill9(), lockHolder: lockHolder() });
      console.log(
        `[fault:early-kill] ${JSON.stringify(kills)}; ${entriesAtKill} entries in the staging folder at the first kill, its initdb gone ${orphanMs} ms later`,
      );

      for (const kill of kills) expect(kill.exit, `killed while ${kill.at}`).toEqual({ code: null, signal: 'SIGKILL' });
      // The dead process's lock is left behind, holding its pid...
      expect(kills[2]!.lockHolder).toBe(third.pid);

      // ...and the next start takes it over and works.
      const started = Date.now();
      const service = await startService({ env });
      const restartMs = Date.now() - started;
      expect(lockHolder()).toBe(service.pid);
      const ready = await request(`${service.url}/ready`, 'GET');
      expect(ready).toEqual({ status: 200, body: { status: 'ready', checks: { database: 'ok', transport: 'ok' } } });

      const authorization = await adminAuthorization(service.url);
      const created = await request(
        `${service.url}/api/v1/users`,
        'POST',
        {
          email: 'early@example.com',
          username: 'early',
          firstName: 'Ada',
          lastName: 'Lovelace',
          password: 'analytical-engine-1843',
        },
        { authorization, prefer: 'wait=10' },
      );
      expect(created.status).toBe(201);
      const listed = await request(`${service.url}/api/v1/users?limit=100`, 'GET', undefined, { authorization });
      const users = (listed.body as { items: { username: string; roles: string[] }[] }).items;
      // One administrator however many starts tried to bootstrap it, and the new user.
      expect(users.filter((user) => user.roles.includes('admin'))).toHaveLength(1);
      expect(users.map((user) => user.username)).toContain('early');

      expect(await service.stop()).toEqual({ code: 0, signal: null });
      await sleep(50);
      expect(existsSync(lockFile), 'a graceful stop removes the lock').toBe(false);
      console.log(`[fault:early-kill] restart after the last kill took ${restartMs} ms`);
    },
  );
});

/** Whether a process's command line names the staging folder (the initdb child is given it). */
function initdbRunningIn(folder: string): boolean {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .some((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(folder);
      } catch {
        return false;
      }
    });
}
