import type {
  AccessTokenClaims,
  AccessTokenIssuer,
  RefreshTokenFactory,
} from '../../../src/contexts/auth/application/auth-ports.js';

/** Deterministic refresh tokens (`refresh-1`, `refresh-2`, …) and a readable, one-way-looking digest. */
export class FakeRefreshTokens implements RefreshTokenFactory {
  private n = 0;

  issue(): { token: string; hash: string } {
    this.n += 1;
    const token = `refresh-${this.n}`;
    return { token, hash: this.digest(token) };
  }

  digest(token: string): string {
    return `sha256(${token})`;
  }
}

export type IssuedClaims = AccessTokenClaims;

/** Access tokens that spell out their claims, and remember every set of claims they were issued for. */
export class FakeAccessTokens implements AccessTokenIssuer {
  readonly issued: IssuedClaims[] = [];

  constructor(readonly lifetimeSeconds = 900) {}

  async issue(claims: IssuedClaims): Promise<string> {
    this.issued.push({ ...claims, roles: [...claims.roles], amr: [...claims.amr] });
    return FakeAccessTokens.tokenFor(claims);
  }

  static tokenFor(claims: Pick<IssuedClaims, 'userId' | 'sessionId' | 'roles'>): string {
    return `access(${claims.userId},${claims.sessionId},${claims.roles.join('+')})`;
  }
}
