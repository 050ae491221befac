import type { Database } from '../../../../platform/db/database.js';
import { parseEvent } from '../../../../platform/messaging/event-envelope.js';
import type { Inbox } from '../../../../platform/messaging/inbox.js';
import type { Delivery } from '../../../../platform/messaging/message.js';
import type { VerifyNewAccountHandler } from '../../application/verify-new-account/verify-new-account.handler.js';

export const SIGN_UPS_QUEUE = 'auth.sign-ups';

/**
 * Mails the first verification link of an account created unverified (self sign-up), once per
 * event: the inbox claim, the token and the event asking for the mail commit together. A creation
 * event without `emailVerified` predates verification: such accounts count as verified.
 */
export class SignUpsSubscriber {
  constructor(
    private readonly database: Database,
    private readonly inbox: Inbox,
    private readonly verify: VerifyNewAccountHandler,
  ) {}

  async handle(delivery: Delivery): Promise<string> {
    const event = parseEvent(delivery);
    if (event.type !== 'users.user.created') return 'ignored';
    const data = event.data as { email?: string; username?: string; locale?: string; emailVerified?: boolean };
    // Erased before this event arrived: nobody to mail.
    if (!data.email) return 'ignored';
    return this.database.transaction(async () => {
      if (!(await this.inbox.claim(SIGN_UPS_QUEUE, delivery.messageId))) return 'duplicate';
      return this.verify.handle({
        userId: event.aggregateId,
        email: data.email!,
        username: data.username ?? '',
        locale: data.locale ?? 'en',
        emailVerified: data.emailVerified ?? true,
      });
    });
  }
}
