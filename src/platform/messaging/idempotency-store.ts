import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';

export interface StoredResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

export type Reservation =
  | { readonly kind: 'reserved' }
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  | { readonly kind: 'in-progress' }
  | { readonly kind: 'mismatch' };

const TTL_HOURS = 24;
/** A reservation never completed this long (its process died): another request may take it over. */
const ABANDONED_AFTER_SECONDS = 60;

/**
 * `messaging.idempotency_keys`: the first request with a key reserves it (a primary-key insert,
 * so two concurrent repeats cannot both win), and its response is stored for the repeats.
 */
export class IdempotencyStore {
  constructor(private readonly database: Database) {}

  async reserve(caller: string, key: string, requestHash: string): Promise<Reservation> {
    // Expired and abandoned reservations make room first, so the insert below decides alone.
    await this.database.query(sql`
      delete from messaging.idempotency_keys
       where caller = ${caller} and key = ${key}
         and (created_at < now() - make_interval(hours => ${TTL_HOURS})
              or (response_status is null
                  and created_at < now() - make_interval(secs => ${ABANDONED_AFTER_SECONDS})))`);
    const inserted = await this.database.query(sql`
      insert into messaging.idempotency_keys (caller, key, request_hash)
      values (${caller}, ${key}, ${requestHash})
      on conflict do nothing
      returning key`);
    if (inserted.rows.length > 0) return { kind: 'reserved' };
    const existing = await this.database.query<{
      request_hash: string;
      response_status: number | null;
      response_headers: Record<string, string>;
      response_body: unknown;
    }>(sql`
      select request_hash, response_status, response_headers, response_body
        from messaging.idempotency_keys where caller = ${caller} and key = ${key}`);
    const row = existing.rows[0];
    if (!row) return this.reserve(caller, key, requestHash);
    if (row.request_hash !== requestHash) return { kind: 'mismatch' };
    if (row.response_status === null) return { kind: 'in-progress' };
    return {
      kind: 'replay',
      response: { status: row.response_status, headers: row.response_headers, body: row.response_body },
    };
  }

  async complete(caller: string, key: string, response: StoredResponse): Promise<void> {
    await this.database.query(sql`
      update messaging.idempotency_keys
         set response_status = ${response.status}, response_headers = ${JSON.stringify(response.headers)}::jsonb,
             response_body = ${JSON.stringify(response.body ?? null)}::jsonb
       where caller = ${caller} and key = ${key}`);
  }

  /** Frees a key whose request failed on our side, so the client's retry is not refused. */
  async release(caller: string, key: string): Promise<void> {
    await this.database.query(sql`
      delete from messaging.idempotency_keys
       where caller = ${caller} and key = ${key} and response_status is null`);
  }

  /**
   * Frees every unanswered reservation at once. Only for a database no other process uses (PGlite)
   * with a transactional queue: then an unanswered key belongs to a process that died before its
   * command was accepted (the answer commits with the command), and the client's retry need not
   * wait for ABANDONED_AFTER_SECONDS.
   */
  async releaseAllUnanswered(): Promise<number> {
    const result = await this.database.query(sql`
      delete from messaging.idempotency_keys where response_status is null`);
    return result.rowCount;
  }
}
