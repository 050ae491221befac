import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { Api, describeEngines, expectProblem } from '../support/e2e.js';
import { login } from '../support/test-service.js';

interface ClientBody {
  clientId: string;
  clientSecret?: string;
  name: string;
  redirectUris: string[];
  grantTypes: string[];
  scopes: string[];
  tokenEndpointAuthMethod: string;
  public: boolean;
  firstParty: boolean;
}

const CLIENTS = '/api/v1/oauth/clients';
const valid = { name: 'Grafana', redirectUris: ['https://grafana.example.com/login/generic_oauth'] };

describeEngines('OAuth clients: the admin registry', (api, _engine, service) => {
  const create = (body: unknown) => api().request<ClientBody>('POST', CLIENTS, { body });

  it('refuses callers without a token (401) and non-admins (403), on every route', async () => {
    const anonymous = new Api(api().url);
    const user = await api().createUser();
    const member = new Api(api().url, (await login(api().url, user.email, 'compiler-pioneer-1952')).accessToken);
    for (const caller of [anonymous, member]) {
      const status = caller === anonymous ? 401 : 403;
      const code = caller === anonymous ? 'unauthorized' : 'forbidden';
      expectProblem(await caller.request('POST', CLIENTS, { body: valid }), status, code);
      expectProblem(await caller.get(CLIENTS), status, code);
      expectProblem(await caller.get(`${CLIENTS}/anything`), status, code);
      expectProblem(await caller.request('DELETE', `${CLIENTS}/anything`), status, code);
    }
    // Nothing was registered by the refused calls.
    expect((await api().get<{ items: ClientBody[] }>(CLIENTS)).body.items).toEqual([]);
  });

  it('answers 400 validation_failed, field by field, for what breaks a rule', async () => {
    const cases: [unknown, string][] = [
      [{ ...valid, name: '' }, 'name'],
      [{ ...valid, name: 'x'.repeat(101) }, 'name'],
      [{ ...valid, redirectUris: ['http://app.example.com/cb'] }, 'redirectUris'],
      [{ ...valid, redirectUris: ['https://app.example.com/cb#frag'] }, 'redirectUris'],
      [{ ...valid, redirectUris: ['/relative'] }, 'redirectUris'],
      [{ ...valid, redirectUris: [] }, 'redirectUris'],
      [{ ...valid, grantTypes: ['password'] }, 'grantTypes'],
      [{ ...valid, grantTypes: ['refresh_token'] }, 'grantTypes'],
      [{ ...valid, public: true, grantTypes: ['authorization_code', 'client_credentials'] }, 'grantTypes'],
      [{ ...valid, scopes: ['admin'] }, 'scopes'],
      [{ ...valid, tokenEndpointAuthMethod: 'private_key_jwt' }, 'tokenEndpointAuthMethod'],
      [{ ...valid, public: true, tokenEndpointAuthMethod: 'client_secret_basic' }, 'tokenEndpointAuthMethod'],
      [{ ...valid, postLogoutRedirectUris: ['ftp://example.com'] }, 'postLogoutRedirectUris'],
    ];
    for (const [body, field] of cases) {
      const problem = expectProblem(await create(body), 400, 'validation_failed');
      expect(problem.errors?.map((e) => e.field), JSON.stringify(body)).toContain(field);
    }
    expectProblem(await create({ ...valid, unknown: 1 }), 400, 'validation_failed');
    expectProblem(await create({ name: 'No URIs' }), 400, 'validation_failed');
  });

  it('creates a confidential client: 201, Location, the secret once; the row holds its digest only', async () => {
    const created = await create({ ...valid, scopes: ['openid', 'email'], firstParty: true });
    expect(created.status, created.text).toBe(201);
    const { clientId, clientSecret } = created.body;
    expect(created.headers.get('location')).toBe(`${CLIENTS}/${clientId}`);
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.body).toMatchObject({
      name: 'Grafana',
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['openid', 'email'],
      tokenEndpointAuthMethod: 'client_secret_basic',
      public: false,
      firstParty: true,
    });
    const read = await api().get<ClientBody>(`${CLIENTS}/${clientId}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(Object.fromEntries(Object.entries(created.body).filter(([k]) => k !== 'clientSecret')));
    const { rows } = await service().runtime.database.query<Record<string, unknown>>(
      sql`select * from oidc.clients where client_id = ${clientId}`,
    );
    expect(rows[0]?.secret_digest).toBe(createHash('sha256').update(clientSecret!).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(clientSecret);
  });

  it('creates a public client: no secret, none at the token endpoint, 127.0.0.1 over http allowed', async () => {
    const created = await create({ name: 'CLI', redirectUris: ['http://127.0.0.1:8400/cb'], public: true });
    expect(created.status, created.text).toBe(201);
    expect(created.body.clientSecret).toBeUndefined();
    expect(created.body).toMatchObject({ public: true, tokenEndpointAuthMethod: 'none' });
  });

  it('lists clients oldest first, never with a secret or its digest', async () => {
    const first = await create({ ...valid, name: 'First' });
    const second = await create({ ...valid, name: 'Second' });
    const list = await api().get<{ items: ClientBody[] }>(CLIENTS);
    expect(list.status).toBe(200);
    const ids = list.body.items.map((c) => c.clientId);
    expect(ids.indexOf(first.body.clientId)).toBeLessThan(ids.indexOf(second.body.clientId));
    for (const secret of [first.body.clientSecret!, second.body.clientSecret!]) {
      expect(list.text).not.toContain(secret);
      expect(list.text).not.toContain(createHash('sha256').update(secret).digest('hex'));
    }
    expect(list.text).not.toMatch(/clientSecret|secretDigest|secret_digest/);
  });

  it('deletes a client (204), with what oidc-provider stored for it; then 404', async () => {
    const { clientId } = (await create(valid)).body;
    const database = service().runtime.database;
    await database.query(
      sql`insert into oidc.payloads (model, id_digest, payload) values ('Grant', ${`g-${clientId}`}, ${JSON.stringify({ clientId })}::jsonb)`,
    );
    expect((await api().request('DELETE', `${CLIENTS}/${clientId}`)).status).toBe(204);
    const left = await database.query(sql`select 1 from oidc.payloads where id_digest = ${`g-${clientId}`}`);
    expect(left.rows).toHaveLength(0);
    expectProblem(await api().get(`${CLIENTS}/${clientId}`), 404, 'not_found');
    expectProblem(await api().request('DELETE', `${CLIENTS}/${clientId}`), 404, 'not_found');
  });
});
