import type { Clock } from '../../../../shared/application/ports/clock.js';
import {
  verifyClientSecret,
  type ClientRegistry,
  type CreatedClient,
  type NewClient,
  type OAuthClient,
} from './client-registry.js';
import { newClient } from './new-client.js';

/**
 * The registry in memory, for unit tests. `forgetClient` is what a deletion also removes from
 * oidc-provider's storage (MemoryOidcStore's), as the database's registry does in one transaction.
 */
export class MemoryClientRegistry implements ClientRegistry {
  private readonly clients = new Map<string, OAuthClient>();

  constructor(
    private readonly clock: Clock,
    private readonly forgetClient: (clientId: string) => void = () => undefined,
  ) {}

  async create(input: NewClient): Promise<CreatedClient> {
    const created = newClient(input, this.clock.now());
    this.clients.set(created.client.clientId, created.client);
    return created;
  }

  async find(clientId: string): Promise<OAuthClient | null> {
    return this.clients.get(clientId) ?? null;
  }

  async list(): Promise<OAuthClient[]> {
    return [...this.clients.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  async delete(clientId: string): Promise<boolean> {
    if (!this.clients.delete(clientId)) return false;
    this.forgetClient(clientId);
    return true;
  }

  verifySecret(client: OAuthClient, presented: string): boolean {
    return verifyClientSecret(client, presented);
  }
}
