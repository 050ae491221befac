import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/platform/db/database.js';
import { PORTICO_BIN } from '../support/service-process.js';

const run = promisify(execFile);

// Each step runs the CLI on one PGlite directory, as an operator would between starts.
describe('`portico clients create|list|delete`', { timeout: 120_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'portico-clients-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const portico = (...args: string[]) =>
    run(process.execPath, [PORTICO_BIN, 'clients', ...args], {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: '' },
    });
  const created: Record<string, { id: string; secret?: string }> = {};

  it('creates a confidential client and prints its id and, once, its secret; the row holds the digest', async () => {
    const { stdout } = await portico(
      'create',
      '--name',
      'Grafana',
      '--redirect-uri',
      'https://grafana.example.com/cb',
      '--redirect-uri',
      'https://grafana.example.com/cb2',
      '--scope',
      'openid',
      '--scope',
      'email',
    );
    const id = /^client_id (\S+)$/m.exec(stdout)?.[1];
    const secret = /^client_secret (\S+)$/m.exec(stdout)?.[1];
    expect(id).toBeDefined();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    created.grafana = { id: id!, secret: secret! };
    const database = await Database.pglite(dataDir);
    try {
      const { rows } = await database.query<Record<string, unknown>>(sql`select * from oidc.clients`);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        client_id: id,
        secret_digest: createHash('sha256').update(secret!).digest('hex'),
        redirect_uris: ['https://grafana.example.com/cb', 'https://grafana.example.com/cb2'],
        scopes: ['openid', 'email'],
      });
      expect(JSON.stringify(rows)).not.toContain(secret);
    } finally {
      await database.close();
    }
  });

  it('creates a public client without a secret, and refuses an http redirect URI with status 2', async () => {
    const { stdout } = await portico('create', '--name', 'SPA', '--redirect-uri', 'http://localhost:5173/cb', '--public');
    expect(stdout).not.toMatch(/client_secret/);
    created.spa = { id: /^client_id (\S+)$/m.exec(stdout)![1]! };
    const refused = portico('create', '--name', 'Bad', '--redirect-uri', 'http://app.example.com/cb');
    await expect(refused).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/redirectUris: .*https/) });
  });

  it('lists both, never with a secret; deletes one; a second delete is status 2', async () => {
    const list = (await portico('list')).stdout;
    expect(list).toContain(`${created.grafana!.id}  Grafana  confidential`);
    expect(list).toContain(`${created.spa!.id}  SPA  public`);
    expect(list).not.toContain(created.grafana!.secret);
    expect((await portico('delete', created.grafana!.id)).stdout).toContain(`deleted client ${created.grafana!.id}`);
    expect((await portico('list')).stdout).not.toContain(created.grafana!.id);
    await expect(portico('delete', created.grafana!.id)).rejects.toMatchObject({ code: 2 });
  });
});
