import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Session } from '../../src/contexts/auth/domain/session.js';
import type { SessionRepository } from '../../src/contexts/auth/domain/session-repository.js';
import { PostgresSessionRepository } from '../../src/contexts/auth/infrastructure/persistence/postgres-session-repository.js';
import { SessionMother } from '../mothers/session.mother.js';
import { describeContract, onDatabases } from '../support/contract.js';
import { InMemorySessionRepository } from '../support/in-memory/in-memory-session-repository.js';

interface Subject {
  sessions: SessionRepository;
  /** The adapter's transaction; a repository's load-to-change runs in one. */
  inTransaction: <T>(work: () => Promise<T>) => Promise<T>;
}


describeContract<Subject>(
  'Session repository',
  {
    'in-memory': () => ({ sessions: new InMemorySessionRepository(), inTransaction: (work) => work() }),
    ...onDatabases(({ database }) => ({
      sessions: new PostgresSessionRepository(database),
      inTransaction: (work) => database.transaction(work),
    })),
  },
  (t) => {
    const started = async (): Promise<Session> => {
      const session = SessionMother.started(
        { id: randomUUID(), userId: randomUUID(), tokenHash: randomUUID() },
        new Date(),
      );
      session.pullEvents();
      await t.sessions.insert(session);
      return session;
    };
    const rotated = (session: Session) =>
      t.inTransaction(async () => {
        const loaded = (await t.sessions.findByTokenHash(session.currentTokenHash))!;
        const next = randomUUID();
        expect(loaded.rotate(loaded.currentTokenHash, next, new Date())).toBe('rotated');
        await t.sessions.update(loaded);
        return { loaded, next };
      });

    const revoked = (session: Session) =>
      t.inTransaction(async () => {
        const loaded = (await t.sessions.findById(session.id))!;
        loaded.revoke('logout', new Date());
        await t.sessions.update(loaded);
      });

    it('finds a session by its first token, and nothing by an unknown digest', async () => {
      const session = await started();
      expect((await t.sessions.findByTokenHash(session.currentTokenHash))?.id).toBe(session.id);
      expect(await t.sessions.findByTokenHash(randomUUID())).toBeNull();
    });

    it('after a rotation, finds it by the new token and still by the replaced one (reuse detection)', async () => {
      const session = await started();
      const first = session.currentTokenHash;
      const { next } = await rotated(session);
      const byNew = await t.sessions.findByTokenHash(next);
      expect(byNew?.id).toBe(session.id);
      expect(byNew?.currentTokenHash).toBe(next);
      expect((await t.sessions.findByTokenHash(first))?.id).toBe(session.id);
    });

    it('refuses to save over a newer version, and keeps no token of the refused change', async () => {
      const session = await started();
      const stale = (await t.sessions.findById(session.id))!;
      await revoked(session);
      const lost = randomUUID();
      expect(stale.rotate(stale.currentTokenHash, lost, new Date())).toBe('rotated');
      await expect(t.inTransaction(() => t.sessions.update(stale))).rejects.toThrow(/modified concurrently/);
      expect(await t.sessions.findByTokenHash(lost)).toBeNull();
    });

    it('saves a revocation with its reason, at a new version', async () => {
      const session = await started();
      await revoked(session);
      const stored = (await t.sessions.findById(session.id))!;
      expect(stored.snapshot().revokedReason).toBe('logout');
      expect(stored.snapshot().revokedAt).toBeInstanceOf(Date);
      expect(stored.version).toBe(session.version + 1);
    });
  },
);
