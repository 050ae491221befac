import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { HttpServer } from '../../../../platform/http/server.js';
import { INTERACTION_PREFIX } from '../provider/provider-settings.js';
import { InteractionStep, refusalStatus, type InteractionDeps } from './interaction-steps.js';

const text = Type.String({ maxLength: 16_384 });
/** A discoverable credential's assertion, as `PublicKeyCredential.toJSON()` writes it. */
const Assertion = Type.Object({
  id: text,
  rawId: text,
  type: Type.Literal('public-key'),
  response: Type.Object({
    clientDataJSON: text,
    authenticatorData: text,
    signature: text,
    userHandle: Type.Optional(text),
  }),
  authenticatorAttachment: Type.Optional(text),
  clientExtensionResults: Type.Optional(Type.Object({})),
});
const OptionsBody = Type.Object({ csrf: Type.String({ maxLength: 128 }) }, { additionalProperties: false });
const AssertionBody = Type.Object(
  { csrf: Type.String({ maxLength: 128 }), response: Assertion },
  { additionalProperties: false },
);
const Uid = Type.Object({ uid: Type.String({ maxLength: 64 }) });
type PasskeyRequest<B> = FastifyRequest<{ Params: Static<typeof Uid>; Body: B }>;

/**
 * The passkey on the sign-in page: its script (`/assets/passkey-sign-in.js`, the page's only one)
 * asks for a challenge, lets the browser's authenticator answer it, and posts the answer; the
 * answer is JSON with where the browser goes next. The same rules as the API's passkey sign-in.
 */
export function registerPasskeyStep(app: HttpServer, deps: InteractionDeps): void {
  const schema = { hide: true, params: Uid };
  app.post(
    `${INTERACTION_PREFIX}/:uid/passkey/options`,
    { schema: { ...schema, body: OptionsBody } },
    (request, reply) =>
      withJsonStep(deps, request as PasskeyRequest<Static<typeof OptionsBody>>, reply, async () =>
        reply.header('cache-control', 'no-store').send(await deps.signIn.passkeyOptions({ ip: request.ip })),
      ),
  );
  app.post(`${INTERACTION_PREFIX}/:uid/passkey`, { schema: { ...schema, body: AssertionBody } }, (request, reply) =>
    withJsonStep(deps, request as PasskeyRequest<Static<typeof AssertionBody>>, reply, async (step) => {
      const body = request.body as Static<typeof AssertionBody>;
      const outcome = await deps.signIn.passkey({ response: body.response, ...step.client });
      if (outcome.kind === 'refused') {
        if (outcome.retryAfterSeconds) reply.header('retry-after', String(outcome.retryAfterSeconds));
        return reply.code(refusalStatus(outcome.code)).send({ code: outcome.code });
      }
      if (outcome.kind !== 'signed-in') return reply.code(401).send({ code: 'passkey_invalid' });
      const location = await step.resultUrl({
        login: { accountId: outcome.userId, amr: [...outcome.amr], ts: Math.floor(Date.now() / 1000), remember: true },
        portico: { sessionId: outcome.sessionId },
      });
      return reply.header('cache-control', 'no-store').send({ location });
    }),
  );
}

async function withJsonStep<B extends { csrf: string }>(
  deps: InteractionDeps,
  request: PasskeyRequest<B>,
  reply: FastifyReply,
  run: (step: InteractionStep) => Promise<FastifyReply>,
): Promise<FastifyReply> {
  const step = await InteractionStep.open(deps, request, reply);
  if (!step || step.uid !== request.params.uid) return reply.code(400).send({ code: 'interaction_expired' });
  if (!step.csrfPasses(request.body as { csrf: string })) return reply.code(403).send({ code: 'csrf' });
  return run(step);
}
