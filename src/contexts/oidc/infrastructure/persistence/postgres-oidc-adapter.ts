import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import type { Database } from '../../../../platform/db/database.js';

/** Where the provider finds its clients: the registry, not the payload table. */
export interface ClientMetadataSource {
  metadataOf(clientId: string): Promise<AdapterPayload | undefined>;
}

/**
 * The key of a stored model: oidc-provider's opaque tokens (access and refresh tokens, codes,
 * session cookies) ARE their ids, so a row is keyed by the id's SHA-256 and its payload keeps no
 * `jti`: what the table holds cannot be presented as a token.
 */
export const digestOf = (id: string) => createHash('sha256').update(id).digest('base64url');

/** Without its id (the token itself), and with the provider's `consumed` as an epoch second. */
function storable(payload: AdapterPayload): Omit<AdapterPayload, 'jti'> {
  const { jti: _jti, ...rest } = payload;
  return rest;
}

/**
 * oidc-provider's storage on Portico's database (PGlite or PostgreSQL, `oidc.payloads`), one
 * adapter per model. Expired rows read as absent and are swept by `sweepExpiredOidcPayloads`.
 */
export function postgresOidcAdapter(database: Database, clients: ClientMetadataSource): AdapterFactory {
  return (model: string): Adapter => {
    if (model === 'Client') return readOnlyClients(clients);
    const one = async (where: ReturnType<typeof sql>, jti?: string) => {
      const { rows } = await database.query<{ payload: AdapterPayload }>(sql`
        select payload from oidc.payloads
         where model = ${model} and ${where} and (expires_at is null or expires_at > now()) limit 1`);
      const payload = rows[0]?.payload;
      return payload && (jti ? { ...payload, jti } : payload);
    };
    return {
      async upsert(id, payload, expiresIn) {
        // A grant is revoked with its tokens: it is its own grant_id.
        const grantId = model === 'Grant' ? id : (payload.grantId ?? null);
        const expiresAt = expiresIn ? new Date(Date.now() + expiresIn * 1000) : null;
        await database.query(sql`
          insert into oidc.payloads (model, id_digest, payload, grant_id, user_code, uid, expires_at)
          values (${model}, ${digestOf(id)}, ${JSON.stringify(storable(payload))}::jsonb, ${grantId},
                  ${payload.userCode ?? null}, ${payload.uid ?? null}, ${expiresAt})
          on conflict (model, id_digest) do update
             set payload = excluded.payload, grant_id = excluded.grant_id, user_code = excluded.user_code,
                 uid = excluded.uid, expires_at = excluded.expires_at`);
      },
      find: (id) => one(sql`id_digest = ${digestOf(id)}`, id),
      findByUid: (uid) => one(sql`uid = ${uid}`),
      findByUserCode: (userCode) => one(sql`user_code = ${userCode}`),
      async consume(id) {
        await database.query(sql`
          update oidc.payloads set payload = payload || jsonb_build_object('consumed', floor(extract(epoch from now())))
           where model = ${model} and id_digest = ${digestOf(id)}`);
      },
      async destroy(id) {
        await database.query(sql`delete from oidc.payloads where model = ${model} and id_digest = ${digestOf(id)}`);
      },
      async revokeByGrantId(grantId) {
        await revokeOidcGrant(database, grantId);
      },
    };
  };
}

/** Deletes a grant and every code and token it issued, whatever their model. */
export async function revokeOidcGrant(database: Database, grantId: string): Promise<void> {
  await database.query(sql`delete from oidc.payloads where grant_id = ${grantId}`);
}

/** Deletes what has expired; answers how many rows. */
export async function sweepExpiredOidcPayloads(database: Database): Promise<number> {
  const { rows } = await database.query<{ count: number }>(sql`
    with swept as (delete from oidc.payloads where expires_at <= now() returning 1)
    select count(*)::int as count from swept`);
  return rows[0]?.count ?? 0;
}

/** Clients are registered through the admin API or the CLI, never by the provider itself. */
export function readOnlyClients(clients: ClientMetadataSource): Adapter {
  const refuse = async () => {
    throw new Error('clients are registered through /api/v1/oauth/clients, not by the provider');
  };
  return {
    upsert: refuse,
    find: (id) => clients.metadataOf(id),
    findByUid: async () => undefined,
    findByUserCode: async () => undefined,
    consume: refuse,
    destroy: refuse,
    revokeByGrantId: refuse,
  };
}
