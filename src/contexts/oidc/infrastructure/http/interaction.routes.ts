import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { withFormRoutes } from '../../../../platform/http/pages.js';
import type { HttpServer } from '../../../../platform/http/server.js';
import { hostedLocale, hostedPagePolicy } from '../pages/hosted-pages.js';
import { INTERACTION_PREFIX } from '../provider/provider-settings.js';
import { InteractionStep, type InteractionDeps } from './interaction-steps.js';
import { registerPasskeyStep } from './passkey-step.routes.js';

const field = Type.Optional(Type.String({ maxLength: 1024 }));
/** Every hosted form's fields; each step reads its own and refuses what is missing on its page. */
const StepForm = Type.Object({
  csrf: field,
  email: field,
  password: field,
  code: field,
  mfaToken: field,
  decision: field,
});
type Form = Static<typeof StepForm>;
const Uid = Type.Object({ uid: Type.String({ maxLength: 64 }) });
type StepRequest = FastifyRequest<{ Params: Static<typeof Uid>; Body: Form }>;

/**
 * The hosted steps of an authorization: the provider sends the browser to `GET <prefix>/<uid>`,
 * each page's form posts to `<prefix>/<uid>/<step>`, and the last one hands the result back.
 * Outside OpenAPI: these are pages of the protocol (discovery describes the protocol itself).
 */
export function registerInteractionRoutes(app: HttpServer, deps: InteractionDeps): void {
  withFormRoutes(app, (scope) => {
    const schema = { hide: true, params: Uid };
    scope.get(`${INTERACTION_PREFIX}/:uid`, { schema }, (request, reply) =>
      withStep(deps, request as StepRequest, reply, (step) => start(step)),
    );
    const post = (name: string, run: (step: InteractionStep, form: Form) => Promise<FastifyReply> | FastifyReply) =>
      scope.post(`${INTERACTION_PREFIX}/:uid/${name}`, { schema: { ...schema, body: StepForm } }, (request, reply) =>
        withStep(deps, request as StepRequest, reply, (step) => {
          const form = (request.body ?? {}) as Form;
          if (!step.csrfPasses(form))
            return step.show('sign-in', { error: { code: 'csrf' }, action: step.action('login') }, 403);
          return run(step, form);
        }),
      );
    post('login', (step, form) => login(deps, step, form));
    post('second-factor', (step, form) => secondFactor(deps, step, form));
    post('consent', (step, form) =>
      form.decision === 'allow'
        ? step.grantConsent()
        : step.finish({ error: 'access_denied', error_description: 'the user denied the request' }),
    );
    registerPasskeyStep(scope, deps);
    post('abort', (step) =>
      step.finish({ error: 'access_denied', error_description: 'the user cancelled the sign-in' }),
    );
  });
}

async function withStep(
  deps: InteractionDeps,
  request: StepRequest,
  reply: FastifyReply,
  run: (step: InteractionStep) => Promise<FastifyReply> | FastifyReply,
): Promise<FastifyReply> {
  const step = await InteractionStep.open(deps, request, reply);
  if (step && step.uid === request.params.uid) return run(step);
  // No interaction in this browser by that id: expired, finished, or opened elsewhere.
  const html = deps.pages.render(hostedLocale(undefined, request.headers['accept-language']), 'error', {});
  return reply
    .code(400)
    .header('content-security-policy', hostedPagePolicy())
    .type('text/html; charset=utf-8')
    .send(html);
}

/** The first page of a step: sign-in, or consent (given at once to a first-party client). */
function start(step: InteractionStep): Promise<FastifyReply> | FastifyReply {
  if (step.details.prompt.name === 'login')
    return step.show('sign-in', { email: step.loginHint, action: step.action('login') });
  if (step.firstParty) return step.grantConsent();
  const scopes = String((step.details.params as { scope?: string }).scope ?? '')
    .split(' ')
    .filter(Boolean);
  return step.show('consent', { scopes, action: step.action('consent') });
}

async function login(deps: InteractionDeps, step: InteractionStep, form: Form): Promise<FastifyReply> {
  const email = form.email?.trim() ?? '';
  const again = (error: unknown, status: number) =>
    step.show('sign-in', { email, error, action: step.action('login') } as never, status);
  if (!email || !form.password) return again({ code: 'missing' }, 400);
  const outcome = await deps.signIn.password({ email, password: form.password, ...step.client });
  return step.after(outcome, again);
}

async function secondFactor(deps: InteractionDeps, step: InteractionStep, form: Form): Promise<FastifyReply> {
  const mfaToken = form.mfaToken ?? '';
  const again = (error: unknown, status: number) =>
    step.show('second-factor', { mfaToken, error, action: step.action('second-factor') } as never, status);
  if (!mfaToken || !form.code) return again({ code: 'missing' }, 400);
  const outcome = await deps.signIn.secondFactor({ mfaToken, code: form.code, ...step.client });
  return step.after(outcome, again);
}
