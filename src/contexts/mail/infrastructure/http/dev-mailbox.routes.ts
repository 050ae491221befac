import { Type } from 'typebox';
import type { RouteDefinition } from '../../../../platform/context/context-manifest.js';
import { HttpProblemError } from '../../../../platform/http/problem.js';
import { htmlPage, sendPage } from '../../../../platform/http/pages.js';
import { answer, json, problem } from '../../../../platform/http/schemas.js';
import type { HttpServer } from '../../../../platform/http/server.js';
import { Templates } from '../../../../platform/templates/templates.js';
import type { DevMailbox, MailboxEntry } from '../mailers/dev-mailbox.js';

export interface MailApi {
  /** Present only in development without SMTP_URL: then, and only then, /dev/mailbox exists. */
  readonly mailbox: DevMailbox | null;
}

const IdParams = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,9}$' }) }, { additionalProperties: false });
const MailSummary = Type.Object({
  id: Type.Integer(),
  to: Type.String(),
  subject: Type.String(),
  template: Type.String(),
  receivedAt: Type.String({ format: 'date-time' }),
});
const NotFound = problem('`not_found`: no such mail (the mailbox keeps the newest 200)');
/** A mail's own HTML may carry style attributes; nothing else is allowed to load or run. */
const MAIL_HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";
const tags = ['mail'];

function entryOf(mailbox: DevMailbox, id: string): MailboxEntry {
  const entry = mailbox.find(Number(id));
  if (!entry) throw HttpProblemError.of('not_found', `mail ${id} is not in the mailbox`);
  return entry;
}

const common = { tags, security: [] };

function registerMailbox(app: HttpServer, mailbox: DevMailbox): void {
  const templates = new Templates();
  app.get(
    '/dev/mailbox',
    {
      schema: {
        ...common,
        summary: 'Development mailbox: the mails sent',
        response: { 200: htmlPage('The mails, newest first') },
      },
    },
    async (_request, reply) =>
      sendPage(reply, 200, templates.renderHtml('dev/mailbox.html.eta', { mails: mailbox.list() })),
  );
  app.get(
    '/dev/mailbox/messages',
    {
      schema: {
        ...common,
        summary: 'Development mailbox, as JSON',
        response: { 200: json('The mails, newest first', Type.Array(MailSummary)) },
      },
    },
    async () =>
      mailbox.list().map(({ id, to, subject, template, receivedAt }) => ({
        id,
        to,
        subject,
        template,
        receivedAt: receivedAt.toISOString(),
      })),
  );
  app.get(
    '/dev/mailbox/:id',
    {
      schema: {
        ...common,
        summary: 'Development mailbox: one mail',
        params: IdParams,
        response: { 200: htmlPage('The mail: headers, links, text part'), 404: NotFound },
      },
    },
    async (request, reply) => {
      const mail = entryOf(mailbox, request.params.id);
      const links = [...new Set(mail.text.match(/https?:\/\/\S+/g) ?? [])];
      return sendPage(reply, 200, templates.renderHtml('dev/message.html.eta', { mail, links }));
    },
  );
  registerMailParts(app, mailbox);
}

/** One mail's HTML part and its source, as a recipient's client and an SMTP server get them. */
function registerMailParts(app: HttpServer, mailbox: DevMailbox): void {
  app.get(
    '/dev/mailbox/:id/html',
    {
      schema: {
        ...common,
        summary: "Development mailbox: a mail's HTML part",
        params: IdParams,
        response: { 200: htmlPage('The HTML part as the recipient sees it'), 404: NotFound },
      },
    },
    async (request, reply) =>
      reply
        .header('content-security-policy', MAIL_HTML_CSP)
        .type('text/html; charset=utf-8')
        .send(entryOf(mailbox, request.params.id).html),
  );
  app.get(
    '/dev/mailbox/:id/raw',
    {
      schema: {
        ...common,
        summary: 'Development mailbox: a mail as an SMTP server receives it',
        params: IdParams,
        response: { 200: answer('message/rfc822', 'The message (RFC 5322)', Type.String()), 404: NotFound },
      },
    },
    async (request, reply) => reply.type('message/rfc822').send(entryOf(mailbox, request.params.id).raw),
  );
}

/** /dev/mailbox, in development without SMTP_URL only; in production the routes do not exist. */
export const devMailboxRoutes: RouteDefinition<MailApi> = {
  register: (app, api) => {
    if (api.mailbox) registerMailbox(app, api.mailbox);
  },
};
