import { defineContext } from '../../platform/context/context-manifest.js';
import { MAIL_EVENT_TYPES } from './domain/mail-events.js';
import { devMailboxRoutes } from './infrastructure/http/dev-mailbox.routes.js';
import { mailMetrics } from './infrastructure/mail.metrics.js';
import { chooseMailer, mailWorker, type MailSettings } from './infrastructure/mail-worker.js';
import { MAIL_QUEUE } from './infrastructure/messaging/mail-requests.subscriber.js';
import * as tables from './infrastructure/persistence/mail.tables.js';

/**
 * The mail context: delivers the mails other contexts' events ask for (by their wire names),
 * each once, through SMTP or, in development, the mailbox at /dev/mailbox. One mailer per
 * process: the consumer sends into the mailbox the API shows (`portico start`).
 */
export const mailContext = (settings: MailSettings) => {
  const { mailer, mailbox } = chooseMailer(settings);
  return defineContext({
    name: 'mail',
    description: 'Mail delivery: verification, reset and notice mails, sent once per event; the development mailbox',
    worker: (platform) => mailWorker(platform, settings, mailer),
    commands: {},
    events: [],
    consumers: [
      {
        queue: MAIL_QUEUE,
        subscribesTo: [...MAIL_EVENT_TYPES],
        handler: (w) => (delivery) => w.deliveries.handle(delivery),
      },
    ],
    api: async (platform) => {
      // A newcomer must learn where the mails went; an operator, that none can leave.
      if (mailbox) {
        const at = `${settings.publicUrl.replace(/\/+$/, '')}/dev/mailbox`;
        platform.logger.info(`no SMTP_URL: mails go to the development mailbox, open ${at}`);
      } else if (!settings.smtpUrl)
        platform.logger.warn('NODE_ENV=production and no SMTP_URL: mails wait in mail.deliveries.dlq');
      return { mailbox };
    },
    routes: [devMailboxRoutes],
    tables,
    errors: {},
    metrics: mailMetrics,
  });
};
