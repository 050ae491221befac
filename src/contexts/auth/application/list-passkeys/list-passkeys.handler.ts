import type { PasskeySummary } from '../../domain/passkeys.js';
import type { MfaUnitOfWork } from '../mfa-ports.js';

/** The user's passkeys as their list shows them: no key material, oldest first. */
export class ListPasskeysHandler {
  constructor(private readonly deps: { uow: MfaUnitOfWork }) {}

  async handle(query: { userId: string }): Promise<PasskeySummary[]> {
    const passkeys = await this.deps.uow.run(({ passkeys }) => passkeys.listByUser(query.userId));
    return passkeys.map(({ id, name, createdAt, lastUsedAt }) => ({ id, name, createdAt, lastUsedAt }));
  }
}
