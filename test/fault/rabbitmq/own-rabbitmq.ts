import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports.js';

const run = promisify(execFile);
const live = new Set<OwnRabbitMq>();

export function rabbitmqServerInstalled(): boolean {
  return existsSync('/usr/sbin/rabbitmq-server') && existsSync('/usr/sbin/rabbitmqctl');
}

/**
 * A RabbitMQ node of the test's own (own name, ports, data and log directories), so a test can
 * stop and start it without touching the machine's broker. Data survives `stop()`/`start()`.
 */
export class OwnRabbitMq {
  private child: ChildProcess | null = null;

  private constructor(
    readonly node: string,
    readonly port: number,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `amqp://guest:guest@127.0.0.1:${this.port}`;
  }

  static async create(): Promise<OwnRabbitMq> {
    const port = await freePort(20_000, 40_000, [20_000]);
    const dir = mkdtempSync(join(tmpdir(), 'portico-rmq-'));
    // The server runs as the rabbitmq user (the Debian wrapper switches to it when run as root).
    writeFileSync(join(dir, 'rabbitmq.conf'), `listeners.tcp.local = 127.0.0.1:${port}\n`);
    writeFileSync(join(dir, 'rabbitmq-env.conf'), 'ERL_EPMD_ADDRESS=127.0.0.1\n');
    if (process.getuid?.() === 0) {
      const { stdout } = await run('id', ['-u', 'rabbitmq']);
      const { stdout: gid } = await run('id', ['-g', 'rabbitmq']);
      for (const path of [dir, join(dir, 'rabbitmq.conf'), join(dir, 'rabbitmq-env.conf')]) {
        chownSync(path, Number(stdout.trim()), Number(gid.trim()));
      }
    }
    const broker = new OwnRabbitMq(`rabbit-portico-${port}@localhost`, port, dir);
    live.add(broker);
    return broker;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    const env = {
      ...process.env,
      RABBITMQ_NODENAME: this.node,
      RABBITMQ_NODE_PORT: String(this.port),
      RABBITMQ_DIST_PORT: String(this.port + 20_000),
      RABBITMQ_MNESIA_BASE: join(this.dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(this.dir, 'log'),
      RABBITMQ_PID_FILE: join(this.dir, 'pid'),
      RABBITMQ_CONFIG_FILE: join(this.dir, 'rabbitmq.conf'),
      RABBITMQ_CONF_ENV_FILE: join(this.dir, 'rabbitmq-env.conf'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(this.dir, 'enabled_plugins'),
    };
    this.child = spawn('rabbitmq-server', [], { env, stdio: 'ignore', detached: true });
    const deadline = Date.now() + timeoutMs;
    while (!(await answers(this.port))) {
      if (Date.now() > deadline) throw new Error(`RabbitMQ ${this.node} did not start within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** A clean shutdown (`rabbitmqctl stop`): clients see the connection closed by the broker. */
  async stop(): Promise<void> {
    await run('rabbitmqctl', ['-n', this.node, 'stop'], { timeout: 30_000 }).catch(() => this.kill());
    this.child = null;
  }

  /** Removes the node and its data; also used when the test process exits early. */
  async destroy(): Promise<void> {
    if (await answers(this.port)) await this.stop();
    this.kill();
    rmSync(this.dir, { recursive: true, force: true });
    live.delete(this);
  }

  kill(): void {
    const pidFile = join(this.dir, 'pid');
    try {
      if (existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

process.once('exit', () => {
  for (const broker of live) broker.kill();
});
