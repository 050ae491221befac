import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { SigningAlgorithm } from '../../../src/contexts/auth/infrastructure/tokens/signing-algorithm.js';

/** What a resource server is told about Portico, as its operator would configure it. */
export interface Trust {
  readonly jwksUri: string;
  readonly issuer: string;
  readonly audience: string;
  readonly algorithm: SigningAlgorithm;
  /** The library's clock, when a test moves it (its own option: clockTimestamp, currentDate). */
  readonly now?: Date;
}

/** The library's answer: the verified `sub`, or its error as `name or code: message`. */
export type Verdict = { readonly sub: string } | { readonly error: string };

/** One library set up as its documentation shows, with nothing between it and Portico's JWKS. */
export interface Recipe {
  readonly library: string;
  /** The algorithms the library verifies from a JWKS (EdDSA `OKP` keys: jose and PyJWT only). */
  readonly algorithms: readonly SigningAlgorithm[];
  /** Whether the library's clock can be set (`Trust.now`), so exp is tested without waiting. */
  readonly movableClock: boolean;
  verify(token: string, trust: Trust): Promise<Verdict>;
}

/** Seconds since the epoch, for the libraries whose clock option counts in seconds. */
export const epochSeconds = (date: Date | undefined): number | undefined =>
  date === undefined ? undefined : Math.floor(date.getTime() / 1000);

export const failure = (error: unknown): Verdict => {
  const { name, code, message } = error as { name?: string; code?: string; message?: string };
  return { error: `${code ?? name}: ${message}` };
};

/** Sends the token to an Express app's GET /protected (listening for this one request) and reads its verdict. */
export async function askExpress(app: Express, token: string): Promise<Verdict> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/protected`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return (await response.json()) as Verdict;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}
