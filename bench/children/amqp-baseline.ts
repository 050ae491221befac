/**
 * Raw broker throughput: publish with confirm and consume (ack each) on one quorum queue, with
 * amqplib as Portico uses it (a confirm channel, persistent JSON messages with the same properties;
 * a consumer channel with a prefetch). `window` publishes are outstanding at once, like that many
 * concurrent API requests each awaiting its confirm. The ceiling for the command pipeline's
 * transport on this machine.
 */
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { writeFramesTogether } from '../../src/platform/messaging/amqp-frames.js';
import { report, serve } from '../lib/child.js';
import { summarize, type LatencySummary } from '../lib/stats.js';

export interface AmqpRun {
  readonly amqpUrl: string;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly window: number;
  readonly prefetch: number;
}

export interface AmqpResult {
  readonly window: number;
  readonly prefetch: number;
  readonly messageBytes: number;
  readonly durationSeconds: number;
  readonly published: number;
  readonly consumed: number;
  readonly publishedPerSecond: number;
  /** Messages published, confirmed and consumed per second: the baseline figure. */
  readonly consumedPerSecond: number;
  readonly confirmLatencyMs: LatencySummary;
  /** Publish call → delivery to the consumer. */
  readonly endToEndLatencyMs: LatencySummary;
}

function body(n: number): Buffer {
  // Shaped like a users.update_profile command as the API sends it.
  return Buffer.from(
    JSON.stringify({
      type: 'users.update_profile',
      userId: randomUUID(),
      firstName: `Bench ${n}`,
      commandId: randomUUID(),
      caller: randomUUID(),
      correlationId: `req-${n}`,
    }),
  );
}

serve<AmqpRun>(async (run) => {
  // As Portico connects (TCP_NODELAY, queued frames in one write): the broker as a tuned client sees it.
  const connection = await amqp.connect(run.amqpUrl, { noDelay: true });
  writeFramesTogether(connection);
  const queue = `bench.baseline.${randomUUID()}`;
  try {
    const admin = await connection.createChannel();
    await admin.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await admin.close();
    const publisher = await connection.createConfirmChannel();
    const consumer = await connection.createChannel();
    await consumer.prefetch(run.prefetch);

    const sentAt = new Map<string, number>();
    let measuring = false;
    let consumed = 0;
    const endToEnd: number[] = [];
    await consumer.consume(queue, (message) => {
      if (!message) return;
      const id = String(message.properties.messageId);
      const started = sentAt.get(id);
      sentAt.delete(id);
      consumer.ack(message);
      if (measuring && started !== undefined) {
        consumed += 1;
        endToEnd.push(performance.now() - started);
      }
    });

    let published = 0;
    const confirms: number[] = [];
    let messageBytes = 0;
    let n = 0;
    const lane = async (until: number) => {
      while (performance.now() < until) {
        const messageId = randomUUID();
        const content = body(n++);
        messageBytes = content.length;
        const started = performance.now();
        sentAt.set(messageId, started);
        await new Promise<void>((resolve, reject) => {
          publisher.publish(
            '',
            queue,
            content,
            {
              persistent: true,
              mandatory: true,
              messageId,
              type: 'users.update_profile',
              timestamp: Math.floor(Date.now() / 1000),
              contentType: 'application/json',
              headers: { 'x-bench': '1' },
            },
            (error: unknown) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve()),
          );
        });
        if (measuring) {
          published += 1;
          confirms.push(performance.now() - started);
        }
      }
    };
    const lanes = (seconds: number) => {
      const until = performance.now() + seconds * 1000;
      return Promise.all(Array.from({ length: run.window }, () => lane(until)));
    };

    if (run.warmupSeconds > 0) await lanes(run.warmupSeconds);
    measuring = true;
    report({ type: 'measuring' });
    const started = performance.now();
    const ticker = setInterval(() => {
      report({ type: 'progress', done: published, ok: consumed, elapsedSeconds: (performance.now() - started) / 1000 });
    }, 1_000);
    await lanes(run.durationSeconds).finally(() => clearInterval(ticker));
    const durationSeconds = (performance.now() - started) / 1000;
    measuring = false;
    const result: AmqpResult = {
      window: run.window,
      prefetch: run.prefetch,
      messageBytes,
      durationSeconds,
      published,
      consumed,
      publishedPerSecond: published / durationSeconds,
      consumedPerSecond: consumed / durationSeconds,
      confirmLatencyMs: summarize(confirms),
      endToEndLatencyMs: summarize(endToEnd),
    };
    await consumer.close().catch(() => undefined);
    await publisher.close().catch(() => undefined);
    return result;
  } finally {
    const cleanup = await connection.createChannel().catch(() => null);
    await cleanup?.deleteQueue(queue).catch(() => undefined);
    await connection.close().catch(() => undefined);
  }
});

report({ type: 'ready' });
