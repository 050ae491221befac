import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import * as oidc from 'openid-client';

/** What the application keeps of one browser: the sign-in in flight, then its tokens. */
interface BrowserState {
  verifier?: string;
  state?: string;
  nonce?: string;
  tokens?: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
}

export interface RelyingParty {
  readonly url: string;
  readonly callback: string;
  readonly signedOut: string;
  readonly config: oidc.Configuration;
  readonly client: { readonly clientId: string; readonly clientSecret: string };
  /** Every authorization code the application was handed. */
  readonly codes: string[];
  /** Every token endpoint answer the application received, to replay or inspect. */
  readonly tokenResponses: (oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers)[];
  close(): Promise<void>;
}

/**
 * An Express application signing its users in with Portico the way openid-client's README shows:
 * discovery, authorization code with PKCE (S256), state and nonce, the code grant, userinfo,
 * refresh, RP-initiated logout. Nothing in it knows Portico beyond the issuer URL.
 */
export async function startRelyingParty(
  issuer: string,
  register: (uris: { callback: string; signedOut: string }) => Promise<{ clientId: string; clientSecret: string }>,
): Promise<RelyingParty> {
  const app = express();
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const callback = `${url}/callback`;
  // Registered as an admin would, once the application's address is known.
  const { clientId, clientSecret } = await register({ callback, signedOut: `${url}/signed-out` });
  const config = await oidc.discovery(new URL(issuer), clientId, clientSecret, oidc.ClientSecretBasic(clientSecret), {
    execute: [oidc.allowInsecureRequests],
  });
  const browsers = new Map<string, BrowserState>();
  const tokenResponses: RelyingParty['tokenResponses'] = [];
  const codes: string[] = [];
  const stateOf = (request: express.Request, response: express.Response): BrowserState => {
    const id = /rp=([\w-]+)/.exec(request.headers.cookie ?? '')?.[1] ?? randomUUID();
    response.setHeader('set-cookie', `rp=${id}; Path=/; HttpOnly; SameSite=Lax`);
    if (!browsers.has(id)) browsers.set(id, {});
    return browsers.get(id)!;
  };

  app.get('/login', async (request, response) => {
    const browser = stateOf(request, response);
    browser.verifier = oidc.randomPKCECodeVerifier();
    browser.state = oidc.randomState();
    browser.nonce = oidc.randomNonce();
    const to = oidc.buildAuthorizationUrl(config, {
      redirect_uri: callback,
      scope: String(request.query.scope ?? 'openid profile email offline_access'),
      code_challenge: await oidc.calculatePKCECodeChallenge(browser.verifier),
      code_challenge_method: 'S256',
      state: browser.state,
      nonce: browser.nonce,
      prompt: 'consent',
      ...(request.query.ui_locales && { ui_locales: String(request.query.ui_locales) }),
    });
    response.redirect(to.href);
  });

  app.get('/callback', async (request, response) => {
    const browser = stateOf(request, response);
    if (typeof request.query.code === 'string') codes.push(request.query.code);
    try {
      const tokens = await oidc.authorizationCodeGrant(config, new URL(request.originalUrl, url), {
        pkceCodeVerifier: browser.verifier,
        expectedState: browser.state,
        expectedNonce: browser.nonce,
      });
      tokenResponses.push(tokens);
      browser.tokens = tokens;
      const claims = tokens.claims()!;
      const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
      response
        .type('text/html')
        .send(
          `<h1 id="hello">Hello ${String(info.name)}</h1><p id="email">${String(info.email)}</p><p id="amr">${((claims.amr as string[] | undefined) ?? []).join(' ')}</p>`,
        );
    } catch (error) {
      response
        .status(400)
        .type('text/plain')
        .send(`sign-in failed: ${(error as Error).message}`);
    }
  });

  app.get('/logout', (request, response) => {
    const browser = stateOf(request, response);
    const to = oidc.buildEndSessionUrl(config, {
      id_token_hint: browser.tokens!.id_token!,
      post_logout_redirect_uri: `${url}/signed-out`,
    });
    response.redirect(to.href);
  });
  app.get('/signed-out', (_request, response) => response.type('text/html').send('<h1 id="bye">Signed out</h1>'));

  return {
    url,
    callback,
    signedOut: `${url}/signed-out`,
    config,
    client: { clientId, clientSecret },
    tokenResponses,
    codes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
