import type { Static } from 'typebox';
import { IdParams, json, noContent, problem, Problems, ref } from '../../../../platform/http/schemas.js';
import { route } from '../auth-api.js';
import { ended } from './auth.routes.js';
import { clientOf, signInRoute } from './sign-in-route.js';
import { TokensSchema } from './auth.schemas.js';
import {
  CreationOptionsSchema,
  PasskeyAuthenticationBody,
  PasskeyAuthenticationOptionsBody,
  PasskeyListSchema,
  RegisteredPasskeySchema,
  RegisterPasskeyBody,
  RequestOptionsSchema,
} from './passkey.schemas.js';
import { recentRoute } from './guarded-route.js';

const PASSKEYS = '/api/v1/auth/passkeys';

/** The creation options of a new passkey (a challenge bound to the caller, 5 minutes). */
export const passkeyRegistrationOptionsRoute = recentRoute({
  method: 'POST',
  url: `${PASSKEYS}/registration/options`,
  schema: {
    summary: 'Start a passkey registration (bearer, recent): WebAuthn creation options',
    response: {
      200: json('For navigator.credentials.create() (`Cache-Control: no-store`)', ref(CreationOptionsSchema)),
    },
  },
  handler: async (deps, { id }, _request, reply) => {
    const account = await deps.accounts.credentials.findByUserId(id);
    const options = await deps.mfa.passkeys.registrationOptions.handle({
      userId: id,
      userName: account?.email ?? id,
    });
    // The adapter's options are the library's PublicKeyCredentialCreationOptionsJSON: this schema's shape.
    return reply.header('cache-control', 'no-store').send(options as Static<typeof CreationOptionsSchema>);
  },
});

/** Stores the passkey the browser made with those options; the user's other sessions end. */
export const registerPasskeyRoute = route({
  method: 'POST',
  url: `${PASSKEYS}/registration`,
  schema: {
    summary: "Finish a passkey registration with the browser's response",
    body: RegisterPasskeyBody,
    response: {
      201: json('Registered; every other session of the user ended', RegisteredPasskeySchema),
      400: problem(
        '`validation_failed`, or `passkey_registration_failed`: the challenge is unknown, used or expired, or the response does not verify (origin, RP ID, signature), or the passkey is registered already',
      ),
      401: Problems.unauthorized,
      503: Problems.unavailable,
    },
  },
  handler: (deps) => async (request, reply) => {
    const { id: userId, sessionId } = await deps.access.authenticate(request.headers.authorization ?? '');
    const { passkey, revoked } = await deps.mfa.passkeys.register.handle({ userId, sessionId, ...request.body });
    await deps.revoked.settle({ sessionIds: revoked });
    const { id, name, createdAt } = passkey;
    return reply.code(201).send({ id, name, createdAt: createdAt.toISOString() });
  },
});

/** The caller's passkeys. */
export const listPasskeysRoute = route({
  method: 'GET',
  url: PASSKEYS,
  schema: {
    summary: 'My passkeys',
    response: {
      200: json('Oldest first; no key material', ref(PasskeyListSchema)),
      401: Problems.unauthorized,
      503: Problems.unavailable,
    },
  },
  handler: (deps) => async (request, reply) => {
    const { id } = await deps.access.authenticate(request.headers.authorization ?? '');
    const items = await deps.mfa.passkeys.list.handle({ userId: id });
    return reply.send({
      items: items.map((p) => ({
        ...p,
        createdAt: p.createdAt.toISOString(),
        lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
      })),
    });
  },
});

/** Removes one of the caller's passkeys; the user's other sessions end. */
export const removePasskeyRoute = recentRoute({
  method: 'DELETE',
  url: `${PASSKEYS}/:id`,
  schema: {
    summary: 'Remove one of my passkeys (bearer, recent)',
    params: IdParams,
    response: {
      204: noContent('Removed; every other session of the user ended'),
      400: Problems.validation,
      404: problem('`not_found`: the caller has no passkey with that id'),
    },
  },
  handler: async (deps, { id: userId, sessionId }, request, reply) => {
    return ended(
      deps,
      reply,
      await deps.mfa.passkeys.remove.handle({ userId, sessionId, passkeyId: request.params.id }),
    );
  },
});

/** The request options of a passkey sign-in: the same for everyone. */
export const passkeyAuthenticationOptionsRoute = route({
  method: 'POST',
  url: `${PASSKEYS}/authentication/options`,
  // The body is optional: a discoverable sign-in has nothing to say.
  preValidation: async (request) => {
    request.body ??= {};
  },
  schema: {
    summary: 'Start a passkey sign-in: WebAuthn request options for a discoverable credential',
    security: [],
    body: PasskeyAuthenticationOptionsBody,
    'x-body-optional': true,
    response: {
      200: json('For navigator.credentials.get() (`Cache-Control: no-store`)', ref(RequestOptionsSchema)),
      400: Problems.validation,
      429: Problems.rateLimited,
      503: Problems.unavailable,
    },
  },
  handler: (deps) => async (request, reply) => {
    const options = await deps.mfa.passkeys.authenticationOptions.handle({ ...request.body, ...clientOf(request) });
    return reply.header('cache-control', 'no-store').send(options as Static<typeof RequestOptionsSchema>);
  },
});

/** A passkey sign-in: tokens, as a login's (`amr: ["hwk"]`), no password. */
export const passkeyAuthenticationRoute = signInRoute({
  url: `${PASSKEYS}/authentication`,
  summary: "Sign in with a passkey: the browser's response to the request options",
  body: PasskeyAuthenticationBody,
  tokens: json('The tokens (`amr: ["hwk"]`): a passkey is a second factor on its own', ref(TokensSchema)),
  // One refusal that says nothing of which check failed.
  refused:
    '`passkey_invalid`: an unknown passkey, a used or expired challenge, a response that does not verify, a counter that did not grow, or a deactivated account',
  unverifiedAfter: 'passkey',
  signIn: (api) => api.loginPasskey,
});
