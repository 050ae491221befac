import pg from 'pg';
import type { Logger } from '../logging/logger.js';

export interface PgNotificationListenerOptions {
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
}

/**
 * LISTENs on one channel over a dedicated connection (a pooled one would drop the LISTEN when it
 * goes back to the pool) and calls `onNotify` for every notification. A lost connection is opened
 * again with backoff; `onNotify` also runs after each (re)connect, because notifications sent
 * while nobody listened are gone.
 */
export class PgNotificationListener {
  private client: pg.Client | null = null;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private delayMs: number;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    /** With the notification's payload; with none after each (re)connect, when some may have been missed. */
    private readonly onNotify: (payload?: string) => void,
    private readonly logger: Logger,
    private readonly options: PgNotificationListenerOptions = {},
  ) {
    this.delayMs = options.initialDelayMs ?? 200;
  }

  /** Resolves once listening, or once the first attempt failed (it keeps trying in the background). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5_000, keepAlive: true });
    client.on('notification', (message) => this.onNotify(message.payload));
    client.on('error', (error: Error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel.replace(/"/g, '""')}"`);
      this.delayMs = this.options.initialDelayMs ?? 200;
      this.logger.debug({ channel: this.channel }, 'listening for notifications');
      this.onNotify();
    } catch (error) {
      this.lost(client, error);
    }
  }

  private lost(client: pg.Client, error?: unknown): void {
    if (this.client !== client) return;
    this.client = null;
    client.removeAllListeners('end');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    this.logger.warn({ err: error, channel: this.channel, retryInMs: this.delayMs }, 'notification listener lost');
    this.retryTimer = setTimeout(() => void this.connect(), this.delayMs);
    this.delayMs = Math.min(this.delayMs * 2, this.options.maxDelayMs ?? 5_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners('end');
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
  }
}
