import type { Clock } from '../../../../shared/application/ports/clock.js';
import type { MailRequest } from '../../domain/mail-request.js';
import type { DeliveryLog, Mailer, MailRenderer, Sealer, TemplateModel } from '../mail-ports.js';

export interface DeliverMailDeps {
  readonly mailer: Mailer;
  readonly renderer: MailRenderer;
  readonly sealer: Sealer;
  readonly log: DeliveryLog;
  readonly clock: Clock;
  /** Where the links point: PUBLIC_URL. */
  readonly publicUrl: string;
}

export type DeliveryOutcome = 'sent' | 'duplicate' | 'expired';

/**
 * Writes and sends the mails one event asked for, each once: a key already in the log is skipped
 * (a redelivery after the send), a token already expired is not worth a mail. The token is opened
 * here, only to be written into the mail; it is never logged nor stored.
 */
export class DeliverMailHandler {
  constructor(private readonly deps: DeliverMailDeps) {}

  async handle(key: string, request: MailRequest): Promise<DeliveryOutcome> {
    const { mailer, renderer, log, clock } = this.deps;
    if (await log.wasSent(key)) return 'duplicate';
    if (request.expiresAt && Date.parse(request.expiresAt) <= clock.now().getTime()) return 'expired';
    const rendered = renderer.render(request.template, request.locale, this.model(request));
    const { to, locale, template } = request;
    await mailer.send({ to, locale, template, deliveryKey: key, ...rendered });
    await log.recordSent(key, request.template);
    return 'sent';
  }

  private model(request: MailRequest): TemplateModel {
    const model: Record<string, string> = { ...request.values };
    if (request.expiresAt) model.expiresAt = request.expiresAt;
    if (request.sealedToken) {
      const code = this.deps.sealer.unseal(request.sealedToken);
      model.code = code;
      if (request.linkPath) {
        const link = new URL(request.linkPath, this.deps.publicUrl);
        link.searchParams.set('token', code);
        model.link = link.href;
      }
    }
    return model;
  }
}
