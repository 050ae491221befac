import { asc, eq, or, sql } from 'drizzle-orm';
import type { Database } from '../../../../platform/db/database.js';
import type { Clock } from '../../../../shared/application/ports/clock.js';
import { clientsTable, payloadsTable } from '../persistence/oidc.tables.js';
import {
  verifyClientSecret,
  type ClientRegistry,
  type CreatedClient,
  type GrantType,
  type NewClient,
  type OAuthClient,
  type Scope,
  type TokenEndpointAuthMethod,
} from './client-registry.js';
import { newClient } from './new-client.js';

type ClientRow = typeof clientsTable.$inferSelect;

/** The clients in `oidc.clients`; written at once (no command queue), like auth's own tables. */
export class PostgresClientRegistry implements ClientRegistry {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {}

  async create(input: NewClient): Promise<CreatedClient> {
    const created = newClient(input, this.clock.now());
    const { client } = created;
    await this.database
      .executor()
      .insert(clientsTable)
      .values({
        ...client,
        redirectUris: [...client.redirectUris],
        postLogoutRedirectUris: [...client.postLogoutRedirectUris],
        grantTypes: [...client.grantTypes],
        scopes: [...client.scopes],
      });
    return created;
  }

  async find(clientId: string): Promise<OAuthClient | null> {
    const [row] = await this.database.executor().select().from(clientsTable).where(eq(clientsTable.clientId, clientId));
    return row ? clientOf(row) : null;
  }

  async list(): Promise<OAuthClient[]> {
    const rows = await this.database
      .executor()
      .select()
      .from(clientsTable)
      .orderBy(asc(clientsTable.createdAt), asc(clientsTable.clientId));
    return rows.map(clientOf);
  }

  async delete(clientId: string): Promise<boolean> {
    return this.database.transaction(async (tx) => {
      const removed = await tx
        .delete(clientsTable)
        .where(eq(clientsTable.clientId, clientId))
        .returning({ clientId: clientsTable.clientId });
      if (removed.length === 0) return false;
      // Grants and tokens name their client `clientId`; an interaction in progress, `params.client_id`.
      await tx
        .delete(payloadsTable)
        .where(
          or(
            sql`${payloadsTable.payload}->>'clientId' = ${clientId}`,
            sql`${payloadsTable.payload}->'params'->>'client_id' = ${clientId}`,
          ),
        );
      return true;
    });
  }

  verifySecret(client: OAuthClient, presented: string): boolean {
    return verifyClientSecret(client, presented);
  }
}

function clientOf(row: ClientRow): OAuthClient {
  return {
    ...row,
    grantTypes: row.grantTypes as GrantType[],
    scopes: row.scopes as Scope[],
    tokenEndpointAuthMethod: row.tokenEndpointAuthMethod as TokenEndpointAuthMethod,
  };
}
