import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { AdapterFactory, AdapterPayload } from 'oidc-provider';
import { expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.js';
import { MemoryOidcStore } from '../../src/contexts/oidc/infrastructure/persistence/memory-oidc-adapter.js';
import { MemorySessionLinks } from '../../src/contexts/oidc/infrastructure/persistence/memory-session-links.js';
import {
  postgresOidcAdapter,
  sweepExpiredOidcPayloads,
} from '../../src/contexts/oidc/infrastructure/persistence/postgres-oidc-adapter.js';
import { PostgresSessionLinks, type SessionLinks } from '../../src/contexts/oidc/infrastructure/persistence/postgres-session-links.js';
import { describeContract, onDatabases } from '../support/contract.js';

interface Storage {
  adapter: AdapterFactory;
  links: SessionLinks;
  /** Every stored payload as text: what a leak of the table would show. */
  stored(): Promise<string>;
  sweep(): Promise<number>;
}

const CLIENT = { client_id: 'notes', client_name: 'Notes', redirect_uris: ['https://notes.example/cb'] };
const clients = { metadataOf: async (id: string) => (id === CLIENT.client_id ? (CLIENT as AdapterPayload) : undefined) };

function onDatabase(database: Database): Storage {
  return {
    adapter: postgresOidcAdapter(database, clients),
    links: new PostgresSessionLinks(database),
    stored: async () => JSON.stringify((await database.query(sql`select * from oidc.payloads`)).rows),
    sweep: () => sweepExpiredOidcPayloads(database),
  };
}

describeContract<Storage>(
  'OpenID provider storage (oidc-provider adapter, session links)',
  {
    'in-memory': () => {
      const store = new MemoryOidcStore(clients);
      return { adapter: store.factory, links: new MemorySessionLinks(), stored: async () => JSON.stringify(store.stored()), sweep: async () => store.sweep() };
    },
    ...onDatabases(({ database }) => onDatabase(database)),
  },
  (t) => {
    it('finds what it stored, with its id, but keeps no id (the token itself) in the payload', async () => {
      const token = `at-${randomUUID()}`;
      await t.adapter('AccessToken').upsert(token, { jti: token, accountId: 'u1', grantId: 'g1', kind: 'AccessToken' }, 60);
      expect(await t.adapter('AccessToken').find(token)).toEqual({ jti: token, accountId: 'u1', grantId: 'g1', kind: 'AccessToken' });
      expect(await t.adapter('RefreshToken').find(token)).toBeUndefined();
      expect(await t.adapter('AccessToken').find('unknown')).toBeUndefined();
      expect(await t.stored()).not.toContain(token);
    });

    it('replaces a payload on a second upsert, and destroys it', async () => {
      const id = randomUUID();
      await t.adapter('Session').upsert(id, { jti: id, uid: `uid-${id}`, accountId: 'u1' }, 60);
      await t.adapter('Session').upsert(id, { jti: id, uid: `uid-${id}`, accountId: 'u2' }, 60);
      expect(await t.adapter('Session').find(id)).toMatchObject({ accountId: 'u2' });
      expect(await t.adapter('Session').findByUid(`uid-${id}`)).toMatchObject({ accountId: 'u2' });
      await t.adapter('Session').destroy(id);
      expect(await t.adapter('Session').find(id)).toBeUndefined();
      expect(await t.adapter('Session').findByUid(`uid-${id}`)).toBeUndefined();
    });

    it('marks a code consumed, and reads an expired row as absent until the sweep deletes it', async () => {
      const code = randomUUID();
      await t.adapter('AuthorizationCode').upsert(code, { jti: code, grantId: 'g2' }, 60);
      await t.adapter('AuthorizationCode').consume(code);
      const consumed = (await t.adapter('AuthorizationCode').find(code)) as { consumed?: number };
      expect(Math.abs(consumed.consumed! - Date.now() / 1000)).toBeLessThan(5);
      const gone = randomUUID();
      await t.adapter('Interaction').upsert(gone, { jti: gone }, 0.001);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await t.adapter('Interaction').find(gone)).toBeUndefined();
      expect(await t.sweep()).toBeGreaterThanOrEqual(1);
      expect(await t.sweep()).toBe(0);
    });

    it('revokes a grant with every code and token it issued, and nothing else', async () => {
      const grant = `grant-${randomUUID()}`;
      const [code, refresh, other] = [randomUUID(), randomUUID(), randomUUID()];
      await t.adapter('Grant').upsert(grant, { jti: grant, accountId: 'u1', clientId: 'notes' }, 600);
      await t.adapter('AuthorizationCode').upsert(code, { jti: code, grantId: grant }, 60);
      await t.adapter('RefreshToken').upsert(refresh, { jti: refresh, grantId: grant }, 600);
      await t.adapter('RefreshToken').upsert(other, { jti: other, grantId: 'another' }, 600);
      await t.adapter('RefreshToken').revokeByGrantId(grant);
      expect(await t.adapter('Grant').find(grant)).toBeUndefined();
      expect(await t.adapter('AuthorizationCode').find(code)).toBeUndefined();
      expect(await t.adapter('RefreshToken').find(refresh)).toBeUndefined();
      expect(await t.adapter('RefreshToken').find(other)).toBeDefined();
    });

    it('answers clients from the registry and refuses to write them', async () => {
      expect(await t.adapter('Client').find('notes')).toEqual(CLIENT);
      expect(await t.adapter('Client').find('nobody')).toBeUndefined();
      await expect(t.adapter('Client').upsert('x', {}, 1)).rejects.toThrow(/registered/);
    });

    it('links grants to Portico sessions, finds a browser’s latest, and releases a session’s grants', async () => {
      const [session, other, user] = [randomUUID(), randomUUID(), randomUUID()];
      const uid = `browser-${randomUUID()}`;
      await t.links.link({ grantId: `a-${uid}`, sessionUid: uid, sessionId: other, userId: user });
      await new Promise((resolve) => setTimeout(resolve, 5));
      await t.links.link({ grantId: `b-${uid}`, sessionUid: uid, sessionId: session, userId: user });
      await t.links.link({ grantId: `c-${uid}`, sessionUid: uid, sessionId: session, userId: user });
      expect(await t.links.sessionOfGrant(`a-${uid}`)).toBe(other);
      expect(await t.links.sessionOfGrant('unknown')).toBeNull();
      expect(await t.links.sessionOfBrowser(uid)).toBe(session);
      expect((await t.links.releaseGrantsOf(session)).sort()).toEqual([`b-${uid}`, `c-${uid}`]);
      expect(await t.links.sessionOfGrant(`b-${uid}`)).toBeNull();
      expect(await t.links.releaseGrantsOf(session)).toEqual([]);
    });
  },
);
