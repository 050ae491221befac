import { setTimeout as sleep } from 'node:timers/promises';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface ReceivedMail {
  readonly id: number;
  readonly to: string;
  readonly subject: string;
  readonly template: string;
  readonly parsed: ParsedMail;
  /** The link's `token` (the same as the code to paste), when the mail has one. */
  readonly token: string | null;
  /** The link to the PUBLIC_URL page, when the mail has one. */
  readonly link: string | null;
}

interface Summary {
  id: number;
  to: string;
  subject: string;
  template: string;
}

/** The token and link of a mail's text part (what a person copies or clicks). */
export function tokenOf(text: string): { token: string | null; link: string | null } {
  const link = /https?:\/\/\S+\?token=\S+/.exec(text)?.[0] ?? null;
  return { link, token: link ? new URL(link).searchParams.get('token') : null };
}

/** The development mailbox of a running service, read as a person would: over HTTP, the raw message parsed. */
export class Mailbox {
  constructor(private readonly url: string) {}

  async list(): Promise<Summary[]> {
    const response = await fetch(`${this.url}/dev/mailbox/messages`);
    if (response.status !== 200) throw new Error(`GET /dev/mailbox/messages: ${response.status}`);
    return (await response.json()) as Summary[];
  }

  async read(summary: Summary): Promise<ReceivedMail> {
    const raw = await (await fetch(`${this.url}/dev/mailbox/${summary.id}/raw`)).text();
    const parsed = await simpleParser(raw);
    return { ...summary, parsed, ...tokenOf(parsed.text ?? '') };
  }

  /** Every mail to `to` (of `template`, if given), oldest first. */
  async mailsTo(to: string, template?: string): Promise<Summary[]> {
    return (await this.list()).filter((m) => m.to === to && (!template || m.template === template)).reverse();
  }

  /** Waits for the `nth` (1-based) mail to `to` of `template`. */
  async waitFor(to: string, template: string, nth = 1, timeoutMs = 15_000): Promise<ReceivedMail> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const mails = await this.mailsTo(to, template);
      if (mails.length >= nth) return this.read(mails[nth - 1]!);
      if (Date.now() > until) throw new Error(`no mail #${nth} "${template}" to ${to} within ${timeoutMs} ms`);
      await sleep(50);
    }
  }
}
