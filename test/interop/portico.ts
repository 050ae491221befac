import { createServer, type AddressInfo } from 'node:net';
import type { SigningAlgorithm } from '../../src/contexts/auth/infrastructure/tokens/signing-algorithm.js';
import { login, startTestService, TEST_ADMIN, type TestService } from '../support/test-service.js';

/** Access tokens live this long here (the least Portico allows), so one can be waited out. */
export const TOKEN_TTL_SECONDS = 30;

export interface Token {
  readonly token: string;
  readonly sub: string;
  readonly exp: number;
}

/** A running Portico as a resource server sees it: where its keys are, whom its tokens are for. */
export interface Issuer {
  readonly service: TestService;
  readonly jwksUri: string;
  readonly issuer: string;
  readonly audience: string;
  /** The token issued at start: the first to expire for real. */
  readonly first: Token;
  /** A new real access token (a login of the bootstrapped admin). */
  freshToken(): Promise<Token>;
}

/**
 * Portico signing with `algorithm`, listening on a port chosen beforehand so that its `iss` (which
 * defaults to its own URL) is where its JWKS is: the @fastify/jwt recipe finds the keys from `iss`.
 */
export async function startIssuer(algorithm: SigningAlgorithm): Promise<Issuer> {
  const service = await startTestService('pglite', {
    PORT: String(await freePort()),
    JWT_ALGORITHM: algorithm,
    ACCESS_TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS),
  });
  const { jwtIssuer: issuer, jwtAudience: audience } = service.runtime.config;
  if (issuer !== service.url) throw new Error(`iss ${issuer} is not the service's URL ${service.url}`);
  return {
    service,
    jwksUri: `${service.url}/.well-known/jwks.json`,
    issuer,
    audience,
    first: parsed(service.adminToken),
    freshToken: async () => parsed((await login(service.url, TEST_ADMIN.email, TEST_ADMIN.password)).accessToken),
  };
}

/** The same header and signature over a payload naming another subject. */
export function tampered(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  const forged = Buffer.from(JSON.stringify({ ...claims, sub: '00000000-0000-7000-8000-00000000beef' }));
  return `${header}.${forged.toString('base64url')}.${signature}`;
}

function parsed(token: string): Token {
  const { sub, exp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Token;
  return { token, sub, exp };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
