import amqp, { type ChannelModel, type ConfirmChannel, type GetMessage } from 'amqplib';
import { deadLetterQueue } from '../topology.js';
import {
  isSelected,
  type DeadLetter,
  type DeadLetterStore,
  type ReplayResult,
  type ReplaySelection,
} from './dead-letter-store.js';

interface XDeath {
  readonly reason?: string;
  readonly count?: number;
  readonly time?: { value?: number } | number;
}

/**
 * RabbitMQ keeps dead letters in the quorum queue `<queue>.dlq`. There is no way to peek, so both
 * operations take messages with `basic.get` and hand back the ones they do not consume by closing
 * the channel (unacked messages return to the queue). Replay publishes a copy straight to the work
 * queue, waits for the broker's confirm, and only then acks the dead letter: a crash in between
 * leaves a duplicate, which the consumer's inbox absorbs, never a loss.
 */
export class AmqpDeadLetterStore implements DeadLetterStore {
  private connection: ChannelModel | null = null;

  constructor(
    private readonly url: string,
    /** Prepended to queue names, as in AmqpTransport (tests). */
    private readonly prefix = '',
  ) {}

  async list(queue: string, limit: number): Promise<DeadLetter[]> {
    const dlq = `${this.prefix}${deadLetterQueue(queue)}`;
    const found: DeadLetter[] = [];
    await this.taking(dlq, async (channel) => {
      while (found.length < limit) {
        const message = await channel.get(dlq, { noAck: false });
        if (!message) break;
        found.push(describe(message));
      }
      return found.length;
    });
    return found;
  }

  async replay(queue: string, selection: ReplaySelection): Promise<ReplayResult> {
    const dlq = `${this.prefix}${deadLetterQueue(queue)}`;
    const target = `${this.prefix}${queue}`;
    const replayed: string[] = [];
    await this.taking(dlq, async (channel) => {
      await channel.checkQueue(target);
      let kept = 0;
      for (;;) {
        const message = await channel.get(dlq, { noAck: false });
        if (!message) break;
        const messageId = String(message.properties.messageId ?? '');
        // Back already (its consumer dead-lettered it again at once): it was replayed; stop here.
        if (replayed.includes(messageId)) {
          kept += 1;
          break;
        }
        if (!isSelected(selection, messageId)) {
          kept += 1;
          continue;
        }
        await publishConfirmed(channel, target, message);
        channel.ack(message);
        replayed.push(messageId);
      }
      await channel.waitForConfirms();
      return kept;
    });
    const missing = 'all' in selection ? [] : selection.ids.filter((id) => !replayed.includes(id));
    return { replayed, missing };
  }

  /**
   * Runs `work` on a confirm channel, then closes it, which hands every message it took and did
   * not ack back to the queue. The broker does that asynchronously, so wait (briefly) until
   * they are ready again: the next command must see them.
   */
  private async taking(dlq: string, work: (channel: ConfirmChannel) => Promise<number>): Promise<void> {
    const connection = await this.connect();
    const channel = await connection.createConfirmChannel();
    const kept = await work(channel).finally(() => channel.close().catch(() => undefined));
    if (kept === 0) return;
    const check = await connection.createChannel();
    try {
      const deadline = Date.now() + 5_000;
      while ((await check.checkQueue(dlq)).messageCount < kept && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await check.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.connection?.close().catch(() => undefined);
    this.connection = null;
  }

  private async connect(): Promise<ChannelModel> {
    this.connection ??= await amqp.connect(this.url);
    return this.connection;
  }
}

function publishConfirmed(channel: ConfirmChannel, queue: string, message: GetMessage): Promise<void> {
  const { properties } = message;
  // Broker headers (death history, delivery count) and our retry bookkeeping start afresh.
  const headers = Object.fromEntries(
    Object.entries(properties.headers ?? {}).filter(
      ([key]) => !key.startsWith('x-') && key !== 'retry-count' && key !== 'last-error',
    ),
  );
  return new Promise((resolve, reject) => {
    channel.sendToQueue(
      queue,
      message.content,
      {
        persistent: true,
        mandatory: true,
        messageId: properties.messageId as string | undefined,
        correlationId: properties.correlationId as string | undefined,
        type: properties.type as string | undefined,
        timestamp: properties.timestamp as number | undefined,
        contentType: properties.contentType as string | undefined,
        headers,
      },
      (error: unknown) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve()),
    );
  });
}

function describe(message: GetMessage): DeadLetter {
  const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
  const death = (Array.isArray(headers['x-death']) ? headers['x-death'][0] : undefined) as XDeath | undefined;
  const deathTime = typeof death?.time === 'number' ? death.time : death?.time?.value;
  const seconds = deathTime ?? (message.properties.timestamp as number | undefined);
  const retries = Number(headers['retry-count'] ?? 0);
  const lastError = typeof headers['last-error'] === 'string' ? headers['last-error'] : null;
  return {
    messageId: String(message.properties.messageId ?? '(none)'),
    type: String(message.properties.type ?? '(none)'),
    deliveries: 1 + (Number.isFinite(retries) ? retries : 0),
    error: lastError ?? (death?.reason ? `dead-lettered by the broker: ${death.reason}` : null),
    since: seconds ? new Date(seconds * 1000) : null,
  };
}
