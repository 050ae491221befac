import type { FastifyReply, FastifyRequest } from 'fastify';
import type { InteractionResults } from 'oidc-provider';
import { hostedLocale, hostedPagePolicy, type HostedPages, type Locale, type PageData } from '../pages/hosted-pages.js';
import type { SessionLinks } from '../persistence/postgres-session-links.js';
import type { PorticoResult } from '../provider/portico-provider.js';
import type { ProviderHandle } from '../provider/provider-handle.js';
import { INTERACTION_PREFIX } from '../provider/provider-settings.js';
import type { SignIn, SignInStep } from '../sign-in.port.js';

export interface InteractionDeps {
  readonly provider: ProviderHandle;
  readonly pages: HostedPages;
  readonly signIn: SignIn;
  readonly links: SessionLinks;
}

type Details = Awaited<ReturnType<Awaited<ReturnType<ProviderHandle['current']>>['provider']['interactionDetails']>>;

/** One request to a hosted step: its interaction, its client, its language, and how to answer. */
export class InteractionStep {
  private constructor(
    private readonly deps: InteractionDeps,
    private readonly request: FastifyRequest,
    private readonly reply: FastifyReply,
    readonly details: Details,
    readonly clientName: string,
    readonly redirectUri: string,
    readonly locale: Locale,
    /** A first-party client's sign-in asks no consent (the admin said so when registering it). */
    readonly firstParty: boolean,
  ) {}

  /** The interaction the browser's cookie names, or null when it has none (expired, another browser). */
  static async open(deps: InteractionDeps, request: FastifyRequest, reply: FastifyReply) {
    const { provider } = await deps.provider.current();
    const details = await provider.interactionDetails(request.raw, reply.raw).catch(() => null);
    if (!details) return null;
    const params = details.params as { client_id?: string; redirect_uri?: string; ui_locales?: string };
    const client = params.client_id ? await provider.Client.find(params.client_id) : undefined;
    const locale = hostedLocale(params.ui_locales, request.headers['accept-language']);
    const name = client?.clientName ?? params.client_id ?? '';
    const firstParty = (client?.metadata() as { first_party?: boolean } | undefined)?.first_party === true;
    return new InteractionStep(deps, request, reply, details, name, params.redirect_uri ?? '', locale, firstParty);
  }

  get uid(): string {
    return this.details.uid;
  }

  action(step: string): string {
    return `${INTERACTION_PREFIX}/${this.uid}/${step}`;
  }

  csrfPasses(body: { csrf?: string }): boolean {
    return this.deps.provider.csrfMatches(this.uid, body.csrf);
  }

  /** Renders one of the step's pages with its form's token and actions. */
  show(page: 'sign-in' | 'second-factor' | 'consent', data: PageData, status = 200): FastifyReply {
    const csrf = this.deps.provider.csrfToken(this.uid);
    const html = this.deps.pages.render(this.locale, page, {
      client: this.clientName,
      csrf,
      abort: this.action('abort'),
      passkeyOptions: this.action('passkey/options'),
      passkeySubmit: this.action('passkey'),
      ...data,
    });
    return this.reply
      .code(status)
      .header('content-security-policy', hostedPagePolicy([this.redirectUri], page === 'sign-in'))
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(html);
  }

  /** Hands the result to the provider and sends the browser on to where it resumes. */
  async finish(result: InteractionResults & PorticoResult): Promise<FastifyReply> {
    const to = await this.resultUrl(result);
    return this.reply.code(303).header('cache-control', 'no-store').redirect(to, 303);
  }

  /** Hands the result to the provider; answers where the browser resumes. */
  async resultUrl(result: InteractionResults & PorticoResult): Promise<string> {
    const { provider } = await this.deps.provider.current();
    return provider.interactionResult(this.request.raw, this.reply.raw, result, { mergeWithLastSubmission: false });
  }

  /** The page answers a sign-in step's outcome: the next step, the finish, or the refusal. */
  async after(step: SignInStep, retry: (error: PageData['error'], status: number) => FastifyReply) {
    if (step.kind === 'second-factor')
      return this.show('second-factor', { mfaToken: step.mfaToken, action: this.action('second-factor') });
    if (step.kind === 'refused') {
      if (step.retryAfterSeconds) this.reply.header('retry-after', String(step.retryAfterSeconds));
      return retry(step, refusalStatus(step.code));
    }
    const login = { accountId: step.userId, amr: [...step.amr], ts: Math.floor(Date.now() / 1000), remember: true };
    return this.finish({ login, portico: { sessionId: step.sessionId } });
  }

  /** The consent the person gave (or a first-party client gets): a grant, tied to the Portico session. */
  async grantConsent(): Promise<FastifyReply> {
    const { provider } = await this.deps.provider.current();
    const { prompt, params, session, grantId, lastSubmission } = this.details;
    const accountId = session?.accountId;
    const sessionId =
      (lastSubmission as PorticoResult | undefined)?.portico?.sessionId ??
      (session ? await this.deps.links.sessionOfBrowser(session.uid) : null);
    if (!accountId || !session || !sessionId) return this.finish({ error: 'login_required' });
    const grant = grantId
      ? await provider.Grant.find(grantId)
      : new provider.Grant({ accountId, clientId: String(params.client_id) });
    if (!grant) return this.finish({ error: 'login_required' });
    const missing = prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const savedId = await grant.save();
    await this.deps.links.link({ grantId: savedId, sessionUid: session.uid, sessionId, userId: accountId });
    return this.finish({ consent: { grantId: savedId }, portico: { sessionId } });
  }

  /** What the sign-in page shows first: the email the client hinted, if any. */
  get loginHint(): string {
    return String((this.details.params as { login_hint?: string }).login_hint ?? '');
  }

  /** The IP and User-Agent the sign-in records, as the API's login does. */
  get client() {
    const userAgent = this.request.headers['user-agent'];
    return { ip: this.request.ip, ...(userAgent && { userAgent }) };
  }
}

const REFUSAL_STATUS: Record<string, number> = { rate_limited: 429, email_not_verified: 403 };

/** The status of a refused step: the API's for the same refusal (a wrong secret is 401). */
export const refusalStatus = (code: string): number => REFUSAL_STATUS[code] ?? 401;
