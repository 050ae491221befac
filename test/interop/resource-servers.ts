import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SigningAlgorithm } from '../../src/contexts/auth/infrastructure/tokens/signing-algorithm.js';
import { startIssuer, tampered, type Issuer, type Token } from './portico.js';
import { expressJwt } from './recipes/express-jwt.js';
import { fastJwt } from './recipes/fast-jwt.js';
import { fastifyJwtRecipe } from './recipes/fastify-jwt.js';
import { jose } from './recipes/jose.js';
import { jsonwebtoken } from './recipes/jsonwebtoken.js';
import { passportJwt } from './recipes/passport-jwt.js';
import { PYTHON_WITH_PYJWT, pyjwt } from './recipes/pyjwt.js';
import type { Recipe, Trust } from './recipes/recipe.js';

if (!PYTHON_WITH_PYJWT && process.env.CI === 'true') {
  throw new Error('CI=true requires python3 with PyJWT (.ci/run installs python3-jwt)');
}

const RECIPES: readonly Recipe[] = [jsonwebtoken, expressJwt, passportJwt, fastJwt, fastifyJwtRecipe, jose, pyjwt];

/**
 * The libraries resource servers verify JWTs with, each set up as its documentation shows, against
 * a real Portico's JWKS and real access tokens of `algorithm`, for each library that supports it.
 */
export function resourceServersVerify(algorithm: SigningAlgorithm): void {
  const recipes = RECIPES.filter((recipe) => recipe.algorithms.includes(algorithm));
  const unavailable = (recipe: Recipe) => recipe === pyjwt && !PYTHON_WITH_PYJWT;

  describe(`a resource server verifying Portico's ${algorithm} tokens`, () => {
    let portico: Issuer;
    const trust = (overrides: Partial<Trust> = {}): Trust => {
      const { jwksUri, issuer, audience } = portico;
      return { jwksUri, issuer, audience, algorithm, ...overrides };
    };

    beforeAll(async () => {
      portico = await startIssuer(algorithm);
    });
    afterAll(() => portico.service.stop());

    describe.each(recipes)('with $library', (recipe) => {
      let live: Token;
      /** The library's clock moved to `seconds` after the token's exp (negative: before it). */
      const afterExp = (seconds: number) => new Date((live.exp + seconds) * 1000);

      beforeAll(async () => {
        live = await portico.freshToken();
      });

      it.skipIf(unavailable(recipe))('verifies a real token', async () => {
        expect(await recipe.verify(live.token, trust())).toEqual({ sub: live.sub });
      });

      // PyJWT reads the system clock only: its expiry is tested below, on a token that really expired.
      if (recipe.movableClock) {
        it('still verifies it with its clock moved forward to just before exp', async () => {
          expect(await recipe.verify(live.token, trust({ now: afterExp(-5) }))).toEqual({ sub: live.sub });
        });

        it('rejects it as expired with its clock moved past exp', async () => {
          const verdict = await recipe.verify(live.token, trust({ now: afterExp(60) }));
          expect(verdict).toEqual({ error: expect.stringMatching(/expire/i) });
        });
      }

      it.skipIf(unavailable(recipe))('rejects a tampered token for its signature', async () => {
        const verdict = await recipe.verify(tampered(live.token), trust());
        expect(verdict).toEqual({ error: expect.stringMatching(/signature/i) });
      });

      it.skipIf(unavailable(recipe))('rejects the token when it expects another audience', async () => {
        const verdict = await recipe.verify(live.token, trust({ audience: 'another-api' }));
        expect(verdict).toEqual({ error: expect.stringMatching(/aud/i) });
      });
    });

    describe('once a token has really expired (ACCESS_TOKEN_TTL_SECONDS=30)', () => {
      beforeAll(async () => {
        await sleep(Math.max(0, (portico.first.exp + 1) * 1000 - Date.now()));
      }, 60_000);

      it.each(recipes.filter((recipe) => !unavailable(recipe)))('$library rejects it as expired', async (recipe) => {
        expect(await recipe.verify(portico.first.token, trust())).toEqual({ error: expect.stringMatching(/expire/i) });
      });
    });
  });
}
