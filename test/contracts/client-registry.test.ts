import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import type { ClientRegistry } from '../../src/contexts/oidc/infrastructure/clients/client-registry.js';
import { metadataOf } from '../../src/contexts/oidc/infrastructure/clients/client-metadata.js';
import { MemoryClientRegistry } from '../../src/contexts/oidc/infrastructure/clients/memory-client-registry.js';
import { PostgresClientRegistry } from '../../src/contexts/oidc/infrastructure/clients/postgres-client-registry.js';
import { DomainError } from '../../src/shared/domain/domain-error.js';
import { describeContract, onDatabases } from '../support/contract.js';
import { MovableClock } from '../support/movable-clock.js';

const redirectUris = ['https://app.example.com/callback'];
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

describeContract<{ clients: ClientRegistry; clock: MovableClock }>(
  'OAuth client registry',
  {
    'in-memory': () => {
      const clock = new MovableClock();
      return { clients: new MemoryClientRegistry(clock), clock };
    },
    ...onDatabases(({ database }) => {
      const clock = new MovableClock();
      return { clients: new PostgresClientRegistry(database, clock), clock };
    }),
  },
  (t) => {
    it('creates a confidential client with the defaults, a secret once, and only its digest stored', async () => {
      const { client, clientSecret } = await t.clients.create({ name: ' Grafana ', redirectUris });
      expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(client).toMatchObject({
        name: 'Grafana',
        secretDigest: sha256(clientSecret!),
        grantTypes: ['authorization_code', 'refresh_token'],
        scopes: ['openid', 'profile', 'email', 'offline_access'],
        tokenEndpointAuthMethod: 'client_secret_basic',
        postLogoutRedirectUris: [],
        firstParty: false,
      });
      expect(client.clientId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      const found = await t.clients.find(client.clientId);
      expect(found).toEqual(client);
      expect(JSON.stringify(found)).not.toContain(clientSecret);
    });

    it('verifies a secret against its digest, and refuses another or a public client', async () => {
      const { client, clientSecret } = await t.clients.create({ name: 'API', redirectUris: [], grantTypes: ['client_credentials'] });
      expect(t.clients.verifySecret(client, clientSecret!)).toBe(true);
      expect(t.clients.verifySecret(client, `${clientSecret!}x`)).toBe(false);
      expect(t.clients.verifySecret(client, '')).toBe(false);
      const spa = await t.clients.create({ name: 'SPA', redirectUris, public: true });
      expect(spa.clientSecret).toBeUndefined();
      expect(spa.client).toMatchObject({ secretDigest: null, tokenEndpointAuthMethod: 'none' });
      expect(t.clients.verifySecret(spa.client, '')).toBe(false);
    });

    it('answers oidc-provider metadata: the digest as client_secret, response types from the grants', async () => {
      const { client } = await t.clients.create({
        name: 'Portal',
        redirectUris,
        scopes: ['openid', 'email'],
        tokenEndpointAuthMethod: 'client_secret_post',
        postLogoutRedirectUris: ['https://app.example.com/bye'],
        firstParty: true,
      });
      expect(metadataOf(client)).toEqual({
        client_id: client.clientId,
        client_secret: client.secretDigest,
        client_name: 'Portal',
        redirect_uris: redirectUris,
        post_logout_redirect_uris: ['https://app.example.com/bye'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
        scope: 'openid email',
        first_party: true,
      });
      const machine = await t.clients.create({ name: 'M2M', redirectUris: [], grantTypes: ['client_credentials'] });
      expect(metadataOf(machine.client).response_types).toEqual([]);
      const spa = await t.clients.create({ name: 'SPA', redirectUris, public: true });
      expect(metadataOf(spa.client)).not.toHaveProperty('client_secret');
    });

    it('refuses what breaks a rule, naming every field at once, and stores nothing', async () => {
      const before = (await t.clients.list()).length;
      const error: unknown = await t.clients
        .create({
          name: '',
          redirectUris: ['http://app.example.com/cb', 'https://app.example.com/cb#x'],
          grantTypes: ['implicit'],
          scopes: ['admin'],
        })
        .catch((refusal: unknown) => refusal);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('validation_failed');
      const fields = (error as DomainError).errors.map((e) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['name', 'redirectUris', 'grantTypes', 'scopes']));
      expect(fields.filter((f) => f === 'redirectUris')).toHaveLength(2);
      expect((await t.clients.list()).length).toBe(before);
    });

    it('lists oldest first and deletes once', async () => {
      const first = await t.clients.create({ name: 'First', redirectUris });
      t.clock.advance(1_000);
      const second = await t.clients.create({ name: 'Second', redirectUris });
      const ids = (await t.clients.list()).map((c) => c.clientId);
      expect(ids.indexOf(first.client.clientId)).toBeLessThan(ids.indexOf(second.client.clientId));
      expect(await t.clients.delete(first.client.clientId)).toBe(true);
      expect(await t.clients.delete(first.client.clientId)).toBe(false);
      expect(await t.clients.find(first.client.clientId)).toBeNull();
      expect(await t.clients.find(second.client.clientId)).not.toBeNull();
    });
  },
);
