import { and, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import type { Database } from '../../../../platform/db/database.js';
import { SystemClock } from '../../../../platform/system/system-clock.js';
import type { Clock } from '../../../../shared/application/ports/clock.js';
import type { ClientRegistry } from '../clients/client-registry.js';
import { CLIENT_MODEL, clientAdapter, epochSeconds, keysOf } from './oidc-payloads.js';
import { payloadsTable as p } from './oidc.tables.js';

/**
 * oidc-provider's storage (its `adapter` option) on Portico's database: one `oidc.payloads` row per
 * model instance; clients come from the registry. An expired row is never answered, and is deleted
 * by `sweepExpiredOidcPayloads` later.
 */
export function postgresOidcAdapter(
  database: Database,
  clients: ClientRegistry,
  clock: Clock = new SystemClock(),
): AdapterFactory {
  return (model) => (model === CLIENT_MODEL ? clientAdapter(clients) : modelAdapter(database, clock, model));
}

/** Deletes the payloads whose expiry passed before `now`; answers how many. */
export async function sweepExpiredOidcPayloads(database: Database, now: Date): Promise<number> {
  const swept = await database.executor().delete(p).where(lte(p.expiresAt, now)).returning({ id: p.id });
  return swept.length;
}

function modelAdapter(database: Database, clock: Clock, model: string): Adapter {
  const db = () => database.executor();
  const liveWhere = (...conditions: ReturnType<typeof eq>[]) =>
    and(eq(p.model, model), ...conditions, or(isNull(p.expiresAt), gt(p.expiresAt, clock.now())));
  const first = async (...conditions: ReturnType<typeof eq>[]) => {
    const [row] = await db().select({ payload: p.payload }).from(p).where(liveWhere(...conditions)).limit(1);
    return row ? (row.payload as AdapterPayload) : undefined;
  };
  return {
    upsert: async (id, payload, expiresIn) => {
      const values = { ...keysOf(payload, expiresIn, clock.now()), payload, consumedAt: payload.consumed ? clock.now() : null };
      await db()
        .insert(p)
        .values({ model, id, ...values })
        .onConflictDoUpdate({ target: [p.model, p.id], set: values });
    },
    find: (id) => first(eq(p.id, id)),
    findByUid: (uid) => first(eq(p.uid, uid)),
    findByUserCode: (userCode) => first(eq(p.userCode, userCode)),
    consume: async (id) => {
      const now = clock.now();
      await db()
        .update(p)
        .set({ consumedAt: now, payload: sql`${p.payload} || jsonb_build_object('consumed', ${epochSeconds(now)}::bigint)` })
        .where(and(eq(p.model, model), eq(p.id, id)));
    },
    destroy: async (id) => {
      await db()
        .delete(p)
        .where(and(eq(p.model, model), eq(p.id, id)));
    },
    revokeByGrantId: async (grantId) => {
      // Every model's rows of the grant: its access tokens, refresh tokens and codes alike.
      await db().delete(p).where(eq(p.grantId, grantId));
    },
  };
}
