import { parseEvent } from '../../../../platform/messaging/event-envelope.js';
import type { Delivery } from '../../../../platform/messaging/message.js';
import type { DeliverMailHandler } from '../../application/deliver-mail/deliver-mail.handler.js';
import { mailsFor } from '../../domain/mail-events.js';
import type { mailMetrics } from '../mail.metrics.js';

export const MAIL_QUEUE = 'mail.deliveries';

/**
 * Sends the mails an event asks for. A send that fails throws, so the platform's retry policy
 * retries the delivery with backoff and then dead-letters it (`portico dlq list|replay
 * mail.deliveries`); mails of the event already sent are skipped on the retry.
 */
export class MailRequestsSubscriber {
  constructor(
    private readonly deliver: DeliverMailHandler,
    private readonly metrics: ReturnType<typeof mailMetrics.in>,
  ) {}

  async handle(delivery: Delivery): Promise<string[]> {
    const event = parseEvent(delivery);
    const outcomes: string[] = [];
    for (const { key, request } of mailsFor(delivery.messageId, event.type, event.data)) {
      try {
        const outcome = await this.deliver.handle(key, request);
        this.metrics.sent.inc({ template: request.template, status: outcome });
        outcomes.push(outcome);
      } catch (error) {
        this.metrics.sent.inc({ template: request.template, status: 'failed' });
        throw error;
      }
    }
    return outcomes;
  }
}
