import net from 'node:net';

type Direction = 'to-server' | 'to-client' | 'both';

/**
 * A TCP proxy in front of one process's connection to PostgreSQL or RabbitMQ, so a test can
 * freeze that process's traffic at a chosen moment: `hold` stops forwarding (bytes queue up
 * here, as on a stalled network) and `cut` closes every connection without delivering them.
 */
export class TcpProxy {
  private readonly server: net.Server;
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  private holding: Direction | 'none' = 'none';
  port = 0;

  constructor(
    private readonly targetPort: number,
    private readonly targetHost = '127.0.0.1',
  ) {
    this.server = net.createServer((client) => this.accept(client));
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  /**
   * `to-server`: requests (and acks) stop, replies still arrive; `to-client`: the server gets
   * and runs requests but its answers stop here; `both`: nothing moves.
   */
  hold(direction: Direction): void {
    this.holding = direction;
    for (const pair of this.pairs) this.apply(pair);
  }

  private apply({ client, upstream }: { client: net.Socket; upstream: net.Socket }): void {
    if (this.holding === 'to-server' || this.holding === 'both') client.pause();
    if (this.holding === 'to-client' || this.holding === 'both') upstream.pause();
  }

  resume(): void {
    this.holding = 'none';
    for (const { client, upstream } of this.pairs) {
      client.resume();
      upstream.resume();
    }
  }

  /** Local ports of the connections to the target (what the server sees as client ports). */
  upstreamPorts(): number[] {
    return [...this.pairs].map(({ upstream }) => upstream.localPort).filter((p): p is number => p !== undefined);
  }

  /** Drops every connection at once; what was held is never delivered. */
  cut(): void {
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(this.targetPort, this.targetHost);
    const pair = { client, upstream };
    this.pairs.add(pair);
    const end = () => {
      // Whatever is still queued is discarded: a killed process's unsent acks never arrive.
      client.destroy();
      upstream.destroy();
      this.pairs.delete(pair);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
    this.apply(pair);
  }
}
