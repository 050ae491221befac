import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { AdapterFactory } from 'oidc-provider';
import { expect, it } from 'vitest';
import type { ClientRegistry } from '../../src/contexts/oidc/infrastructure/clients/client-registry.js';
import { MemoryClientRegistry } from '../../src/contexts/oidc/infrastructure/clients/memory-client-registry.js';
import { PostgresClientRegistry } from '../../src/contexts/oidc/infrastructure/clients/postgres-client-registry.js';
import { MemoryOidcStore } from '../../src/contexts/oidc/infrastructure/persistence/memory-oidc-adapter.js';
import {
  postgresOidcAdapter,
  sweepExpiredOidcPayloads,
} from '../../src/contexts/oidc/infrastructure/persistence/postgres-oidc-adapter.js';
import { describeContract, onDatabases } from '../support/contract.js';
import { MovableClock } from '../support/movable-clock.js';

interface Storage {
  adapter: AdapterFactory;
  clients: ClientRegistry;
  clock: MovableClock;
  sweep(now: Date): Promise<number>;
  /** Rows stored, whatever their expiry: what a sweep must have removed. */
  stored(model: string, id: string): Promise<boolean>;
}

const redirectUris = ['https://app.example.com/callback'];

describeContract<Storage>(
  'oidc-provider adapter',
  {
    'in-memory': () => {
      const clock = new MovableClock();
      // The registry and the store refer to each other: a deleted client's payloads go with it.
      const stores: MemoryOidcStore[] = [];
      const clients = new MemoryClientRegistry(clock, (id) => stores[0]?.forgetClient(id));
      const memory = new MemoryOidcStore(clients, clock);
      stores.push(memory);
      return {
        adapter: memory.adapter,
        clients,
        clock,
        sweep: (now) => memory.sweepExpired(now),
        stored: async (model, id) => memory.holds(model, id),
      };
    },
    ...onDatabases(({ database }) => {
      const clock = new MovableClock();
      const clients = new PostgresClientRegistry(database, clock);
      return {
        adapter: postgresOidcAdapter(database, clients, clock),
        clients,
        clock,
        sweep: (now) => sweepExpiredOidcPayloads(database, now),
        stored: async (model, id) => {
          const { rows } = await database.query(sql`select 1 from oidc.payloads where model = ${model} and id = ${id}`);
          return rows.length > 0;
        },
      };
    }),
  },
  (t) => {
    it('stores a payload by model and id, replaces it on a second upsert, and keeps models apart', async () => {
      const id = randomUUID();
      await t.adapter('AccessToken').upsert(id, { jti: id, accountId: 'ada', scope: 'openid' }, 60);
      expect(await t.adapter('AccessToken').find(id)).toEqual({ jti: id, accountId: 'ada', scope: 'openid' });
      expect(await t.adapter('RefreshToken').find(id)).toBeUndefined();
      await t.adapter('AccessToken').upsert(id, { jti: id, accountId: 'ada', scope: 'openid email' }, 60);
      expect(await t.adapter('AccessToken').find(id)).toEqual({ jti: id, accountId: 'ada', scope: 'openid email' });
      expect(await t.adapter('AccessToken').find('unknown')).toBeUndefined();
    });

    it('answers nothing for an expired payload; one without a lifetime does not expire', async () => {
      const [short, forever] = [randomUUID(), randomUUID()];
      await t.adapter('Interaction').upsert(short, { jti: short }, 10);
      await t.adapter('Grant').upsert(forever, { jti: forever });
      t.clock.advance(9_000);
      expect(await t.adapter('Interaction').find(short)).toEqual({ jti: short });
      t.clock.advance(2_000);
      expect(await t.adapter('Interaction').find(short)).toBeUndefined();
      t.clock.advance(365 * 86_400_000);
      expect(await t.adapter('Grant').find(forever)).toEqual({ jti: forever });
    });

    it('consumes: the payload carries `consumed`, the epoch second it was spent', async () => {
      const id = randomUUID();
      await t.adapter('AuthorizationCode').upsert(id, { jti: id, grantId: 'g' }, 60);
      const before = Math.floor(t.clock.now().getTime() / 1000);
      await t.adapter('AuthorizationCode').consume(id);
      const found = await t.adapter('AuthorizationCode').find(id);
      expect(found?.consumed).toBeGreaterThanOrEqual(before);
      expect(found?.consumed).toBeLessThanOrEqual(before + 1);
      expect(found?.jti).toBe(id);
    });

    it('destroys one payload, not the same id of another model', async () => {
      const id = randomUUID();
      await t.adapter('Session').upsert(id, { jti: id, uid: `uid-${id}` }, 60);
      await t.adapter('Interaction').upsert(id, { jti: id }, 60);
      await t.adapter('Session').destroy(id);
      expect(await t.adapter('Session').find(id)).toBeUndefined();
      expect(await t.adapter('Interaction').find(id)).toEqual({ jti: id });
    });

    it('finds a session by its uid and a device code by its user code, while they live', async () => {
      const [session, device] = [randomUUID(), randomUUID()];
      const uid = `uid-${session}`;
      const userCode = `CODE-${device.slice(0, 8)}`;
      await t.adapter('Session').upsert(session, { jti: session, uid, accountId: 'ada' }, 30);
      await t.adapter('DeviceCode').upsert(device, { jti: device, userCode }, 30);
      expect(await t.adapter('Session').findByUid(uid)).toEqual({ jti: session, uid, accountId: 'ada' });
      expect(await t.adapter('Session').findByUid('other')).toBeUndefined();
      expect(await t.adapter('DeviceCode').findByUserCode(userCode)).toEqual({ jti: device, userCode });
      expect(await t.adapter('AccessToken').findByUserCode(userCode)).toBeUndefined();
      t.clock.advance(31_000);
      expect(await t.adapter('Session').findByUid(uid)).toBeUndefined();
      expect(await t.adapter('DeviceCode').findByUserCode(userCode)).toBeUndefined();
    });

    it('revokes a grant: every model’s payload of that grant goes, another grant’s stays', async () => {
      const [grantId, other] = [randomUUID(), randomUUID()];
      const [code, access, refresh, kept] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      await t.adapter('AuthorizationCode').upsert(code, { jti: code, grantId }, 60);
      await t.adapter('AccessToken').upsert(access, { jti: access, grantId }, 60);
      await t.adapter('RefreshToken').upsert(refresh, { jti: refresh, grantId }, 600);
      await t.adapter('AccessToken').upsert(kept, { jti: kept, grantId: other }, 60);
      await t.adapter('AccessToken').revokeByGrantId(grantId);
      expect(await t.adapter('AuthorizationCode').find(code)).toBeUndefined();
      expect(await t.adapter('AccessToken').find(access)).toBeUndefined();
      expect(await t.adapter('RefreshToken').find(refresh)).toBeUndefined();
      expect(await t.adapter('AccessToken').find(kept)).toEqual({ jti: kept, grantId: other });
    });

    it('sweeps the expired payloads and only those', async () => {
      const [expired, live, forever] = [randomUUID(), randomUUID(), randomUUID()];
      await t.adapter('AccessToken').upsert(expired, { jti: expired }, 5);
      await t.adapter('AccessToken').upsert(live, { jti: live }, 3_600);
      await t.adapter('Grant').upsert(forever, { jti: forever });
      const swept = await t.sweep(new Date(t.clock.now().getTime() + 6_000));
      expect(swept).toBeGreaterThanOrEqual(1);
      expect(await t.stored('AccessToken', expired)).toBe(false);
      expect(await t.stored('AccessToken', live)).toBe(true);
      expect(await t.stored('Grant', forever)).toBe(true);
    });

    it('answers a registered client’s metadata as the Client model, and refuses to write one', async () => {
      const { client } = await t.clients.create({ name: 'Grafana', redirectUris });
      const found = await t.adapter('Client').find(client.clientId);
      expect(found).toMatchObject({ client_id: client.clientId, client_secret: client.secretDigest, redirect_uris: redirectUris });
      expect(await t.adapter('Client').find('unknown')).toBeUndefined();
      await expect(t.adapter('Client').upsert('x', { client_id: 'x' })).rejects.toThrow(/registered through/);
      await expect(t.adapter('Client').destroy(client.clientId)).rejects.toThrow(/registered through/);
    });

    it('deleting a client removes its grants, tokens and interactions, not another client’s', async () => {
      const [{ client: gone }, { client: kept }] = [
        await t.clients.create({ name: 'Gone', redirectUris }),
        await t.clients.create({ name: 'Kept', redirectUris }),
      ];
      const [grant, token, interaction, other] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      await t.adapter('Grant').upsert(grant, { jti: grant, clientId: gone.clientId }, 600);
      await t.adapter('AccessToken').upsert(token, { jti: token, clientId: gone.clientId, grantId: grant }, 60);
      await t.adapter('Interaction').upsert(interaction, { jti: interaction, params: { client_id: gone.clientId } }, 60);
      await t.adapter('AccessToken').upsert(other, { jti: other, clientId: kept.clientId }, 60);
      expect(await t.clients.delete(gone.clientId)).toBe(true);
      expect(await t.stored('Grant', grant)).toBe(false);
      expect(await t.stored('AccessToken', token)).toBe(false);
      expect(await t.stored('Interaction', interaction)).toBe(false);
      expect(await t.stored('AccessToken', other)).toBe(true);
      expect(await t.adapter('Client').find(gone.clientId)).toBeUndefined();
    });
  },
);
