import type { PlatformServices } from '../../../platform/context/platform-services.js';
import type { Mailer } from '../application/mail-ports.js';
import { DeliverMailHandler } from '../application/deliver-mail/deliver-mail.handler.js';
import type { OutgoingMail } from '../domain/mail-request.js';
import { mailMetrics } from './mail.metrics.js';
import { DevMailbox } from './mailers/dev-mailbox.js';
import { SmtpMailer } from './mailers/smtp-mailer.js';
import { MailRequestsSubscriber } from './messaging/mail-requests.subscriber.js';
import { PostgresDeliveryLog } from './persistence/postgres-delivery-log.js';
import { EtaMailRenderer } from './templates/eta-mail-renderer.js';

export interface MailSettings {
  readonly smtpUrl: string | null;
  readonly mailFrom: string;
  /** Where the links in mails point. */
  readonly publicUrl: string;
  readonly production: boolean;
}

/** Production without SMTP_URL: nothing may be sent, and nothing is lost: deliveries fail, retry, then wait in the DLQ. */
class UnconfiguredMailer implements Mailer {
  async send(_mail: OutgoingMail): Promise<void> {
    throw new Error('SMTP_URL is unset: set it and replay mail.deliveries.dlq (portico dlq replay mail.deliveries)');
  }
}

/** Which mailer a process uses: SMTP when configured, else the development mailbox (never in production). */
export function chooseMailer(settings: MailSettings): { mailer: Mailer; mailbox: DevMailbox | null } {
  if (settings.smtpUrl) return { mailer: new SmtpMailer(settings.smtpUrl, settings.mailFrom), mailbox: null };
  if (settings.production) return { mailer: new UnconfiguredMailer(), mailbox: null };
  const mailbox = new DevMailbox(settings.mailFrom);
  return { mailer: mailbox, mailbox };
}

/** The mailer consumer's graph: templates, the delivery log, the metrics, the chosen mailer. */
export function mailWorker(platform: PlatformServices, settings: MailSettings, mailer: Mailer) {
  const deliver = new DeliverMailHandler({
    mailer,
    renderer: new EtaMailRenderer(),
    sealer: platform.sealer,
    log: new PostgresDeliveryLog(platform.database),
    clock: platform.clock,
    publicUrl: settings.publicUrl,
  });
  return { deliveries: new MailRequestsSubscriber(deliver, mailMetrics.in(platform.metrics.registry)) };
}
