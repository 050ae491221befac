import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import type { Logger } from '../logging/logger.js';
import { settle, toDelivery, type Consumer } from './amqp-delivery.js';
import { writeFramesTogether } from './amqp-frames.js';
import { declareTopology, exchangeNames, tierName } from './amqp-topology.js';
import type { Delivery, Message } from './message.js';
import type { Topology } from './topology.js';
import type { ConsumeOptions, DeliveryHandler, Disposition, MessageTransport, Subscription } from './transport.js';

/** Deliveries (including redeliveries after a crash) before the broker dead-letters a message. */
const DELIVERY_LIMIT = 10;
/** The connection's heartbeat, unless AMQP_URL sets `heartbeat` itself. */
const HEARTBEAT_SECONDS = 10;
/** How long `send`/`publish` wait for the broker's confirm before failing. */
const CONFIRM_TIMEOUT_MS = 5_000;

export interface AmqpTransportOptions {
  /** Prepended to every exchange and queue name: lets tests share one broker. */
  readonly prefix?: string;
}

/**
 * RabbitMQ (DESIGN.md §5): persistent, mandatory publishes on a confirm channel; manual acks;
 * prefetch of twice the concurrency; heartbeats; amqplib's recovery reconnects with backoff and
 * `setup` re-declares the topology and re-subscribes every consumer.
 */
export class AmqpTransport implements MessageTransport {
  readonly name = 'rabbitmq';
  readonly transactional = false;
  private connection: ChannelModel | null = null;
  private publisher: ConfirmChannel | null = null;
  private readonly consumers = new Set<Consumer>();
  private readonly returned = new Set<string>();
  private readonly prefix: string;
  private readonly exchanges: ReturnType<typeof exchangeNames>;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
    private readonly topology: Topology,
    options: AmqpTransportOptions = {},
  ) {
    this.prefix = options.prefix ?? '';
    this.exchanges = exchangeNames(this.prefix);
  }

  async start(): Promise<void> {
    const url = new URL(this.url);
    if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', String(HEARTBEAT_SECONDS));
    const connection = (await amqp.connect(url.toString(), {
      // A publish is three small frames: with Nagle on, the later ones wait for the broker's
      // delayed ACK of the first, and an isolated confirm took ~40 ms instead of ~5.
      noDelay: true,
      recovery: {
        initialDelay: 200,
        maxDelay: 5_000,
        initialMaxRetries: 10,
        maxRetries: Infinity,
        setup: (model: ChannelModel) => this.setup(model),
      },
    } as unknown as Parameters<typeof amqp.connect>[1])) as ChannelModel;
    connection.on('error', (error: Error) => this.logger.warn({ err: error }, 'rabbitmq connection error'));
    connection.on('disconnect', (error?: Error) => {
      this.publisher = null;
      this.logger.warn({ err: error }, 'rabbitmq disconnected: reconnecting');
    });
    connection.on('connect', () => this.logger.info('rabbitmq connected'));
    this.connection = connection;
  }

  /** Runs after every (re)connect: topology, the confirm channel, then every consumer again. */
  private async setup(model: ChannelModel): Promise<void> {
    writeFramesTogether(model);
    const admin = await model.createChannel();
    await declareTopology(admin, this.topology, {
      prefix: this.prefix,
      deliveryLimit: DELIVERY_LIMIT,
    });
    await admin.close();
    const publisher = await model.createConfirmChannel();
    publisher.on('error', (error: Error) => this.logger.warn({ err: error }, 'rabbitmq publish channel error'));
    publisher.on('return', (message: ConsumeMessage) => {
      if (message.properties.messageId) this.returned.add(String(message.properties.messageId));
    });
    publisher.on('close', () => {
      if (this.publisher === publisher) this.publisher = null;
    });
    this.publisher = publisher;
    for (const consumer of this.consumers) if (!consumer.stopped) await this.subscribe(model, consumer);
  }

  send(queue: string, message: Message): Promise<void> {
    return this.confirmedPublish(this.exchanges.commands, `${this.prefix}${queue}`, message);
  }

  publish(message: Message): Promise<void> {
    // An event no subscriber binds (an audit-only event, say) is delivered to nobody, as on the
    // embedded queue; `mandatory` stays on for the rest, where a return means the topology is broken.
    const mandatory = this.topology.queuesForEvent(message.type).length > 0;
    return this.confirmedPublish(this.exchanges.events, message.type, message, {}, mandatory);
  }

  private confirmedPublish(
    exchange: string,
    routingKey: string,
    message: Message,
    extraHeaders = {},
    mandatory = true,
  ): Promise<void> {
    const publisher = this.publisher;
    if (!publisher) return Promise.reject(new Error('rabbitmq is not connected'));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no publisher confirm within ${CONFIRM_TIMEOUT_MS} ms`)),
        CONFIRM_TIMEOUT_MS,
      );
      try {
        publisher.publish(
          exchange,
          routingKey,
          Buffer.from(JSON.stringify(message.body)),
          {
            persistent: true,
            mandatory,
            messageId: message.messageId,
            correlationId: message.correlationId,
            type: message.type,
            timestamp: Math.floor(message.timestamp.getTime() / 1000),
            contentType: 'application/json',
            headers: { ...message.headers, ...extraHeaders },
          },
          (error: unknown) => {
            clearTimeout(timer);
            // A returned (unroutable) message is confirmed too; it was not stored anywhere.
            if (this.returned.delete(message.messageId)) reject(new Error(`no queue is bound for ${routingKey}`));
            else if (error) reject(error instanceof Error ? error : new Error(String(error)));
            else resolve();
          },
        );
      } catch (error) {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  async consume(queue: string, handler: DeliveryHandler, options: ConsumeOptions): Promise<Subscription> {
    const consumer: Consumer = {
      queue: `${this.prefix}${queue}`,
      handler,
      concurrency: options.concurrency,
      channel: null,
      tag: null,
      inFlight: new Set(),
      waiting: [],
      active: 0,
      stopped: false,
    };
    this.consumers.add(consumer);
    if (this.connection) await this.subscribe(this.connection, consumer);
    return {
      stop: async () => {
        consumer.stopped = true;
        this.consumers.delete(consumer);
        if (consumer.channel && consumer.tag) await consumer.channel.cancel(consumer.tag).catch(() => undefined);
        await Promise.allSettled([...consumer.inFlight]);
        await consumer.channel?.close().catch(() => undefined);
      },
    };
  }

  private async subscribe(model: ChannelModel, consumer: Consumer): Promise<void> {
    const channel = await model.createChannel();
    channel.on('error', (error: Error) =>
      this.logger.warn({ err: error, queue: consumer.queue }, 'rabbitmq consumer channel error'),
    );
    await channel.prefetch(consumer.concurrency * 2);
    consumer.channel = channel;
    const reply = await channel.consume(consumer.queue, (raw) => {
      if (!raw) return; // cancelled by the broker (queue deleted): setup re-subscribes on reconnect
      const job = this.deliver(channel, consumer, raw).finally(() => consumer.inFlight.delete(job));
      consumer.inFlight.add(job);
    });
    consumer.tag = reply.consumerTag;
  }

  private async deliver(channel: Channel, consumer: Consumer, raw: ConsumeMessage): Promise<void> {
    let disposition: Disposition;
    let delivery: Delivery;
    try {
      delivery = toDelivery(consumer.queue.slice(this.prefix.length), raw);
    } catch (error) {
      // Not JSON: nothing can ever process it.
      this.logger.error({ err: error, queue: consumer.queue }, 'unparseable message: dead-lettered');
      channel.nack(raw, false, false);
      return;
    }
    if (consumer.active >= consumer.concurrency) await new Promise<void>((resolve) => consumer.waiting.push(resolve));
    if (consumer.stopped) {
      // Prefetched but not started when `stop()` came: back to the queue for the next consumer.
      channel.nack(raw, false, true);
      consumer.waiting.shift()?.();
      return;
    }
    consumer.active += 1;
    try {
      disposition = await consumer.handler(delivery);
    } catch (error) {
      disposition = { outcome: 'retry', delayMs: 5_000, reason: String(error) };
    } finally {
      consumer.active -= 1;
      consumer.waiting.shift()?.();
    }
    try {
      await settle(channel, raw, disposition, (tierMs, headers) =>
        this.confirmedPublish('', `${consumer.queue}.retry.${tierName(tierMs)}`, delivery, headers),
      );
    } catch (error) {
      // The channel is gone: unacked, the broker redelivers the message. Nothing is lost.
      this.logger.warn({ err: error, messageId: delivery.messageId }, 'could not settle a delivery');
    }
  }

  async depth(queue: string): Promise<number> {
    const channel = await this.requireConnection().createChannel();
    try {
      return (await channel.checkQueue(`${this.prefix}${queue}`)).messageCount;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  async ping(): Promise<void> {
    if (!this.publisher) throw new Error('rabbitmq is not connected');
    await this.publisher.checkExchange(this.exchanges.commands);
  }

  async close(): Promise<void> {
    for (const consumer of [...this.consumers]) consumer.stopped = true;
    await this.connection?.close().catch(() => undefined);
    this.connection = null;
    this.publisher = null;
  }

  private requireConnection(): ChannelModel {
    if (!this.connection) throw new Error('rabbitmq transport is not started');
    return this.connection;
  }
}
