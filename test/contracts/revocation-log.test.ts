import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { PostgresRevocationLog } from '../../src/contexts/auth/infrastructure/persistence/postgres-revocation-log.js';
import { PostgresSessionRepository } from '../../src/contexts/auth/infrastructure/persistence/postgres-session-repository.js';
import {
  RevokedSessionsCache,
  type RevocationTiming,
} from '../../src/contexts/auth/infrastructure/tokens/revoked-sessions-cache.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { BearerAccessPolicy } from '../../src/contexts/auth/infrastructure/http/bearer-access-policy.js';
import type { JoseAccessTokens } from '../../src/contexts/auth/infrastructure/tokens/jose-access-tokens.js';
import type { Database } from '../../src/platform/db/database.js';
import { HttpProblemError } from '../../src/platform/http/problem.js';
import { createLogger } from '../../src/platform/logging/logger.js';
import { SessionMother } from '../mothers/session.mother.js';
import { describeContract, onDatabases } from '../support/contract.js';

const logger = createLogger({ level: 'silent', pretty: false });
/** A cache that never reads by itself: each test decides when it reads. */
const QUIET: RevocationTiming = { pollMs: 3_600_000, failClosedAfterMs: 60_000, deadAfterMs: 60_000 };

describeContract(
  'Revocation log (revoked at once, on every API process)',
  onDatabases(({ database }) => ({
    database,
    log: new PostgresRevocationLog(database),
    sessions: new PostgresSessionRepository(database),
  })),
  (t: { database: Database; log: PostgresRevocationLog; sessions: PostgresSessionRepository }) => {
    const caches: RevokedSessionsCache[] = [];
    const cache = async (timing: RevocationTiming = QUIET): Promise<RevokedSessionsCache> => {
      const started = new RevokedSessionsCache(t.log, 900, logger, timing);
      await started.start();
      caches.push(started);
      return started;
    };
    afterEach(async () => {
      await Promise.all(caches.splice(0).map((c) => c.stop()));
    });

    const startSession = async (userId = randomUUID()) => {
      const session = SessionMother.started({ userId }, new Date());
      session.pullEvents();
      await t.sessions.insert(session);
      return { userId, sessionId: session.id };
    };
    const revoke = (sessionId: string) =>
      t.database.transaction(async () => {
        const session = (await t.sessions.findById(sessionId))!;
        session.revoke('logout', new Date());
        await t.sessions.update(session);
      });
    const since = () => new Date(Date.now() - 900_000);

    it('counts a reader behind a revocation until it has read it, then settle returns', async () => {
      const reader = await cache();
      const { userId, sessionId } = await startSession();
      await revoke(sessionId);

      expect(reader.isRevoked(sessionId)).toBe(false);
      expect(await t.log.readersBehind({ userId }, since(), 60_000)).toBe(1);
      expect(await t.log.readersBehind({ sessionIds: [sessionId] }, since(), 60_000)).toBe(1);

      await reader.settle({ userId });

      expect(reader.isRevoked(sessionId)).toBe(true);
      expect(await t.log.readersBehind({ userId }, since(), 60_000)).toBe(0);
    });

    it('waits in settle until every live reader, not only this one, has read the revocation', async () => {
      const answering = await cache();
      const other = await cache({ pollMs: 100, failClosedAfterMs: 60_000, deadAfterMs: 60_000 });
      const { userId, sessionId } = await startSession();
      await revoke(sessionId);

      await answering.settle({ userId });

      expect(other.isRevoked(sessionId)).toBe(true);
    });

    it('does not wait for a reader silent past the dead limit, which refuses tokens by then', async () => {
      const timing = { pollMs: 3_600_000, failClosedAfterMs: 300, deadAfterMs: 600 };
      const silent = await cache(timing);
      const answering = await cache(timing);
      const { userId, sessionId } = await startSession();
      await revoke(sessionId);
      const began = Date.now();

      await answering.settle({ userId });

      expect(silent.isRevoked(sessionId)).toBe(false);
      expect(silent.current).toBe(false);
      expect(Date.now() - began).toBeGreaterThanOrEqual(300);
    });

    it('costs one query and no wait when nothing of the user was revoked', async () => {
      await cache();
      const { userId } = await startSession();
      const reader = await cache();
      const began = performance.now();

      await reader.settle({ userId });

      expect(performance.now() - began).toBeLessThan(1_000);
      expect(await t.log.readersBehind({ userId }, since(), 60_000)).toBe(0);
      expect(await t.log.readersBehind({ sessionIds: [] }, since(), 60_000)).toBe(0);
    });

    it('reads revocations made before it started, and keeps reading from where it stopped', async () => {
      const before = await startSession();
      await revoke(before.sessionId);
      const reader = await cache();
      const after = await startSession();
      await revoke(after.sessionId);

      await reader.refresh();

      expect(reader.isRevoked(before.sessionId)).toBe(true);
      expect(reader.isRevoked(after.sessionId)).toBe(true);
    });

    it('never sees a revocation whose transaction rolled back', async () => {
      const reader = await cache();
      const { userId, sessionId } = await startSession();
      await t.database
        .transaction(async () => {
          const session = (await t.sessions.findById(sessionId))!;
          session.revoke('logout', new Date());
          await t.sessions.update(session);
          throw new Error('roll back');
        })
        .catch(() => undefined);

      await reader.settle({ userId });

      expect(reader.isRevoked(sessionId)).toBe(false);
    });

    it('fails closed: a reader that cannot read refuses every token with 503 until it reads again', async () => {
      let failing = false;
      const flaky = new Proxy(t.log, {
        get: (log, key: keyof PostgresRevocationLog) => {
          const value = log[key];
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) =>
            failing && key === 'readAfter'
              ? Promise.reject(new Error('connection lost'))
              : (value as (...a: unknown[]) => unknown).apply(log, args);
        },
      });
      const reader = new RevokedSessionsCache(flaky, 900, logger, {
        pollMs: 50,
        failClosedAfterMs: 300,
        deadAfterMs: 600,
      });
      await reader.start();
      caches.push(reader);
      const { userId, sessionId } = await startSession();
      const tokens = { verify: async () => ({ userId, roles: ['user'], sessionId }) } as unknown as JoseAccessTokens;
      const policy = new BearerAccessPolicy(tokens, reader);
      expect(await policy.authenticate('Bearer a.b.c')).toMatchObject({ id: userId, sessionId });

      failing = true;
      await sleep(400);

      expect(reader.current).toBe(false);
      const refused = await policy.authenticate('Bearer a.b.c').catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(HttpProblemError);
      expect(refused).toMatchObject({ problem: { code: 'service_unavailable' }, headers: { 'Retry-After': '1' } });

      failing = false;
      expect(await policy.authenticate('Bearer a.b.c')).toMatchObject({ id: userId });
    });

    it('leaves when stopped, so no answer waits for it', async () => {
      const reader = await cache();
      const { userId, sessionId } = await startSession();
      await reader.stop();
      await revoke(sessionId);

      expect(await t.log.readersBehind({ userId }, since(), 60_000)).toBe(0);
    });
  },
);
