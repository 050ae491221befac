import { setTimeout as sleep } from 'node:timers/promises';
import { UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { VerifiedClaims } from '../../../../../src/contexts/auth/infrastructure/tokens/jose-access-tokens.js';
import { VerifiedTokenCache } from '../../../../../src/contexts/auth/infrastructure/tokens/verified-token-cache.js';

const claims: VerifiedClaims = { userId: 'u1', sessionId: 's1', roles: ['user'], amr: ['pwd'], authTime: null };

/** A token with the given `exp` (seconds from now); the inner verifier decides whether it is valid. */
const token = (expiresInSeconds: number, subject = 'u1') =>
  new UnsecuredJWT({ sid: 's1' })
    .setSubject(subject)
    .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
    .encode();

function countingVerifier(valid = true) {
  const calls: string[] = [];
  return {
    calls,
    verify: async (t: string) => {
      calls.push(t);
      if (!valid) throw new Error('bad signature');
      return claims;
    },
  };
}

describe('VerifiedTokenCache', () => {
  it('checks a token once and answers its claims from memory afterwards', async () => {
    const inner = countingVerifier();
    const cache = new VerifiedTokenCache(inner);
    const t = token(600);
    expect(await cache.verify(t)).toEqual(claims);
    expect(await cache.verify(t)).toEqual(claims);
    expect(inner.calls).toHaveLength(1);
  });

  it('never remembers a refusal: a bad token is checked, and refused, every time', async () => {
    const inner = countingVerifier(false);
    const cache = new VerifiedTokenCache(inner);
    const t = token(600);
    await expect(cache.verify(t)).rejects.toThrow('bad signature');
    await expect(cache.verify(t)).rejects.toThrow('bad signature');
    expect(inner.calls).toHaveLength(2);
  });

  it('checks the signature again once maxAgeMs has passed', async () => {
    const inner = countingVerifier();
    const cache = new VerifiedTokenCache(inner, { maxAgeMs: 30 });
    const t = token(600);
    await cache.verify(t);
    await sleep(60);
    await cache.verify(t);
    expect(inner.calls).toHaveLength(2);
  });

  it('does not keep a token past its exp', async () => {
    const inner = countingVerifier();
    const cache = new VerifiedTokenCache(inner);
    const t = token(-1);
    await cache.verify(t);
    await cache.verify(t);
    expect(inner.calls).toHaveLength(2);
  });

  it('holds at most maxTokens, dropping the least recently used', async () => {
    const inner = countingVerifier();
    const cache = new VerifiedTokenCache(inner, { maxTokens: 2 });
    const [a, b, c] = [token(600, 'a'), token(600, 'b'), token(600, 'c')];
    for (const t of [a, b, c, a]) await cache.verify(t);
    expect(inner.calls).toEqual([a, b, c, a]);
  });
});
