import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { AuthApi } from '../../../../../src/contexts/auth/infrastructure/auth-api.js';
import { recentCaller } from '../../../../../src/contexts/auth/infrastructure/http/recent-authentication.js';
import { FixedClock } from '../../../../support/in-memory/fixed-clock.js';

/** The guard with a caller whose token says it signed in `agoMs` ago (null: the token does not say). */
function guarded(agoMs: number | null) {
  const clock = new FixedClock();
  const authTime = agoMs === null ? null : new Date(clock.now().getTime() - agoMs);
  const caller = { id: 'u1', roles: ['user'], sessionId: 's1', amr: ['pwd'], authTime };
  const deps = { access: { authenticate: async () => caller }, platform: { clock } } as unknown as AuthApi;
  const request = { headers: { authorization: 'Bearer x' } } as FastifyRequest;
  return recentCaller(deps, request);
}

describe('recentCaller (the "bearer, recent" guard)', () => {
  it('lets a sign-in of under 5 minutes through', async () => {
    await expect(guarded(0)).resolves.toMatchObject({ id: 'u1' });
    await expect(guarded(299_000)).resolves.toMatchObject({ id: 'u1' });
  });

  it('answers reauthentication_required (401) to an older sign-in, or a token without auth_time', async () => {
    await expect(guarded(300_000)).rejects.toMatchObject({ code: 'reauthentication_required' });
    await expect(guarded(null)).rejects.toMatchObject({ code: 'reauthentication_required' });
  });
});
