import type { Command } from 'commander';
import type { ClientRegistry, OAuthClient } from '../../contexts/oidc/infrastructure/clients/client-registry.js';
import { PostgresClientRegistry } from '../../contexts/oidc/infrastructure/clients/postgres-client-registry.js';
import { migrate } from '../../platform/db/migrate.js';
import { SystemClock } from '../../platform/system/system-clock.js';
import { DomainError } from '../../shared/domain/domain-error.js';
import { openCliDatabase } from './cli-context.js';

interface CreateOptions {
  readonly name: string;
  readonly redirectUri: string[];
  readonly public?: boolean;
  readonly grantType?: string[];
  readonly scope?: string[];
  readonly postLogoutRedirectUri?: string[];
  readonly firstParty?: boolean;
}

const repeat = (value: string, previous: string[] = []) => [...previous, value];

/** `portico clients create|list|delete`: the OAuth clients the OpenID Provider serves. */
export function registerClientsCommand(program: Command): void {
  const clients = program.command('clients').description('manage the OAuth/OpenID Connect clients');

  clients
    .command('create')
    .description('register a client; a confidential one’s secret is printed this once, never again')
    .requiredOption('--name <name>', 'shown on the consent page')
    .requiredOption('--redirect-uri <uri>', 'an allowed redirect URI (repeatable)', repeat)
    .option('--public', 'a client that cannot keep a secret (SPA, native app): no secret, PKCE')
    .option('--grant-type <type>', 'authorization_code, refresh_token, client_credentials (repeatable)', repeat)
    .option('--scope <scope>', 'openid, profile, email, offline_access (repeatable; default all)', repeat)
    .option('--post-logout-redirect-uri <uri>', 'where logout may return (repeatable)', repeat)
    .option('--first-party', 'one of your own applications: no consent page')
    .action((options: CreateOptions) =>
      withRegistry(async (registry) => {
        const { client, clientSecret } = await registry.create({
          name: options.name,
          redirectUris: options.redirectUri,
          ...(options.public && { public: true }),
          ...(options.grantType && { grantTypes: options.grantType }),
          ...(options.scope && { scopes: options.scope }),
          ...(options.postLogoutRedirectUri && { postLogoutRedirectUris: options.postLogoutRedirectUri }),
          ...(options.firstParty && { firstParty: true }),
        });
        process.stdout.write(`client_id ${client.clientId}\n`);
        if (clientSecret !== undefined)
          process.stdout.write(`client_secret ${clientSecret}\n(shown once: Portico keeps only its digest)\n`);
      }),
    );

  clients
    .command('list')
    .description('show the registered clients (id, name, kind, redirect URIs); never a secret')
    .action(() =>
      withRegistry(async (registry) => {
        for (const client of await registry.list()) process.stdout.write(`${line(client)}\n`);
      }),
    );

  clients
    .command('delete <clientId>')
    .description('remove a client, with its grants and tokens')
    .action((clientId: string) =>
      withRegistry(async (registry) => {
        if (await registry.delete(clientId)) process.stdout.write(`deleted client ${clientId}\n`);
        else fail(`no client ${clientId}`);
      }),
    );
}

function line(client: OAuthClient): string {
  const kind = client.secretDigest === null ? 'public' : 'confidential';
  return `${client.clientId}  ${client.name}  ${kind}  ${client.grantTypes.join(',')}  ${client.redirectUris.join(' ')}`;
}

/** An operator mistake: one line and status 2, as the other operator commands answer. */
function fail(message: string): void {
  process.stderr.write(`portico: ${message}\n`);
  process.exitCode = 2;
}

async function withRegistry(work: (registry: ClientRegistry) => Promise<void>): Promise<void> {
  const { database } = await openCliDatabase();
  try {
    await migrate(database);
    await work(new PostgresClientRegistry(database, new SystemClock()));
  } catch (error) {
    // A rule the request broke (a redirect URI over http, say) is the operator's to fix, not a crash.
    if (!(error instanceof DomainError)) throw error;
    fail(error.errors.length > 0 ? error.errors.map((e) => `${e.field}: ${e.message}`).join('; ') : error.message);
  } finally {
    await database.close();
  }
}
