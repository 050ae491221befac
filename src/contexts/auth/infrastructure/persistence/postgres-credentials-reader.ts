import { sql } from 'drizzle-orm';
import type { Database } from '../../../../platform/db/database.js';
import type { Credentials, CredentialsReader } from '../../domain/credentials.js';

interface Row {
  id: string;
  email: string;
  username: string;
  password_hash: string;
  status: 'active' | 'deactivated';
  roles: string[];
}

/**
 * Reads credentials from the users context's write model. SQL instead of an import keeps the
 * contexts' code apart; the columns read here are the contract between them.
 */
export class PostgresCredentialsReader implements CredentialsReader {
  constructor(private readonly database: Database) {}

  async findByEmail(email: string): Promise<Credentials | null> {
    const result = await this.database.query<Row>(sql`
      select id, email, username, password_hash, status, roles from users.users
       where email = ${email} and status <> 'deleted'`);
    return toCredentials(result.rows[0]);
  }

  async findByUserId(userId: string): Promise<Credentials | null> {
    const result = await this.database.query<Row>(sql`
      select id, email, username, password_hash, status, roles from users.users where id = ${userId} and status <> 'deleted'`);
    return toCredentials(result.rows[0]);
  }

  async adminExists(): Promise<boolean> {
    const result = await this.database.query(sql`
      select 1 from users.users where 'admin' = any(roles) and status <> 'deleted' limit 1`);
    return result.rows.length > 0;
  }
}

function toCredentials(row: Row | undefined): Credentials | null {
  return row
    ? {
        userId: row.id,
        email: row.email,
        username: row.username,
        passwordHash: row.password_hash,
        status: row.status,
        roles: row.roles,
      }
    : null;
}
