import { describe, expect, it } from 'vitest';
import { accountFinder, claimsOf } from '../../../../src/contexts/oidc/infrastructure/provider/accounts.js';
import { MemorySessionLinks } from '../../../../src/contexts/oidc/infrastructure/persistence/memory-session-links.js';
import type { AccountProfile, SignIn } from '../../../../src/contexts/oidc/infrastructure/sign-in.port.js';

const profile: AccountProfile = {
  id: 'u1',
  email: 'ada@example.com',
  username: 'ada',
  firstName: 'Ada',
  lastName: 'Lovelace',
  status: 'active',
  emailVerified: true,
  locale: 'en',
  updatedAt: '2026-01-02T03:04:05.000Z',
};

function setup(found: AccountProfile | null = profile, active = new Set(['s1'])) {
  const links = new MemorySessionLinks();
  const signIn = { isActive: async (id: string) => active.has(id) } as SignIn;
  const find = accountFinder({ profiles: { find: async () => (found ? { body: found } : null) }, links, signIn });
  return { links, find: (token?: { grantId?: string }) => find({} as never, 'u1', token) };
}

describe('OpenID accounts', () => {
  it('makes the standard claims of a profile', () => {
    expect(claimsOf(profile)).toEqual({
      sub: 'u1',
      email: 'ada@example.com',
      email_verified: true,
      preferred_username: 'ada',
      name: 'Ada Lovelace',
      given_name: 'Ada',
      family_name: 'Lovelace',
      locale: 'en',
      updated_at: 1767323045,
    });
    expect(claimsOf({ ...profile, firstName: '', lastName: '' })).not.toHaveProperty('name');
  });

  it('finds an active account, and no deactivated or unknown one', async () => {
    expect((await setup().find())?.accountId).toBe('u1');
    expect(await setup({ ...profile, status: 'deactivated' }).find()).toBeUndefined();
    expect(await setup(null).find()).toBeUndefined();
  });

  it('answers nothing for a grant whose Portico session ended, or that was never linked', async () => {
    const { links, find } = setup();
    await links.link({ grantId: 'live', sessionUid: 'b', sessionId: 's1', userId: 'u1' });
    await links.link({ grantId: 'ended', sessionUid: 'b', sessionId: 's2', userId: 'u1' });
    expect((await find({ grantId: 'live' }))?.accountId).toBe('u1');
    expect(await find({ grantId: 'ended' })).toBeUndefined();
    expect(await find({ grantId: 'unlinked' })).toBeUndefined();
  });
});
