import { sql } from 'drizzle-orm';
import type { Database } from '../../../../platform/db/database.js';

interface Row {
  id: string;
  email: string;
  username: string;
  password_hash: string;
  status: 'active' | 'deactivated';
  roles: string[];
  email_verified: boolean;
  locale: string;
}

/**
 * The users context's adapter for auth's CredentialsReader port: users owns the table, so users
 * reads it. The composition root hands it to auth; the compiler checks it fits the port.
 */
export class PostgresCredentialsReader {
  constructor(private readonly database: Database) {}

  async findByEmail(email: string) {
    const result = await this.database.query<Row>(sql`
      select id, email, username, password_hash, status, roles, email_verified, locale from users.users
       where email = ${email} and status <> 'deleted'`);
    return toCredentials(result.rows[0]);
  }

  async findByUserId(userId: string) {
    const result = await this.database.query<Row>(sql`
      select id, email, username, password_hash, status, roles, email_verified, locale from users.users where id = ${userId} and status <> 'deleted'`);
    return toCredentials(result.rows[0]);
  }

  async adminExists(): Promise<boolean> {
    const result = await this.database.query(sql`
      select 1 from users.users where 'admin' = any(roles) and status <> 'deleted' limit 1`);
    return result.rows.length > 0;
  }
}

/** A user's sign-in data, in the shape auth's CredentialsReader port asks for. */
function toCredentials(row: Row | undefined) {
  return row
    ? {
        userId: row.id,
        email: row.email,
        username: row.username,
        passwordHash: row.password_hash,
        status: row.status,
        roles: row.roles,
        emailVerified: row.email_verified,
        locale: row.locale,
      }
    : null;
}
