import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server (the `smtp-server` package) on 127.0.0.1 for a test: it keeps every message
 * it accepted, raw and parsed by `mailparser`, and can be told to refuse (a 451 to every DATA, as
 * a full or failing server answers) or be stopped and started again on the same port.
 */
export class TestSmtpServer {
  readonly received: { raw: string; parsed: ParsedMail; to: string[] }[] = [];
  refusing = false;
  private server: SMTPServer | null = null;
  private port = 0;

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = new SMTPServer({
      // Plain SMTP on loopback: no certificate to trust, no STARTTLS offered.
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (this.refusing) {
            const error = Object.assign(new Error('try again later'), { responseCode: 451 });
            callback(error);
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          const to = session.envelope.rcptTo.map((r) => r.address);
          void simpleParser(raw).then((parsed) => {
            this.received.push({ raw, parsed, to });
            callback();
          }, callback);
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as { port: number }).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Waits until `count` messages were accepted. */
  async waitFor(count: number, timeoutMs = 10_000): Promise<ParsedMail[]> {
    const until = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > until) throw new Error(`${this.received.length} of ${count} mails received`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return this.received.map((r) => r.parsed);
  }
}
