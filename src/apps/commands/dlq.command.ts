import type { Command } from 'commander';
import { AmqpDeadLetterStore } from '../../platform/messaging/dead-letters/amqp-dead-letter-store.js';
import type {
  DeadLetter,
  DeadLetterStore,
  ReplaySelection,
} from '../../platform/messaging/dead-letters/dead-letter-store.js';
import type { Topology } from '../../platform/messaging/topology.js';
import { EmbeddedDeadLetterStore } from '../../platform/messaging/dead-letters/embedded-dead-letter-store.js';
import { checkBrokerAnswers } from '../preflight.js';
import { defaultTopology, loadCliConfig, openCliDatabase } from './cli-context.js';

/** `portico dlq list|replay <queue>`: inspect and replay a queue's dead letters, on either transport. */
export function registerDlqCommand(program: Command): void {
  const topology = defaultTopology();
  const queues = topology.workQueues;
  const dlq = program
    .command('dlq')
    .description('inspect and replay dead-lettered messages')
    .addHelpText('after', `\nQueues: ${queues.join(', ')} (their dead letters are in <queue>.dlq)`);

  dlq
    .command('list')
    .description("list the messages in a queue's dead-letter queue (id, type, deliveries, error, age)")
    .argument('<queue>', `work queue: ${queues.join(' | ')}`)
    .option('--limit <n>', 'show at most this many', parseCount, 100)
    .option('--json', 'one JSON object per line instead of a table')
    .action(async (name: string, options: { limit: number; json?: boolean }, command: Command) => {
      const queue = requireQueue(command, name, topology);
      const letters = await withStore((store) => store.list(queue, options.limit));
      if (options.json) {
        for (const letter of letters) process.stdout.write(`${JSON.stringify(letter)}\n`);
      } else {
        process.stdout.write(formatTable(letters, new Date()));
      }
    });

  dlq
    .command('replay')
    .description('move dead-lettered messages back to their work queue (durably, then removed from the DLQ)')
    .argument('<queue>', `work queue: ${queues.join(' | ')}`)
    .option('--id <messageId...>', 'replay these messages (repeatable)')
    .option('--all', 'replay every message in the dead-letter queue')
    .action(async (name: string, options: { id?: string[]; all?: boolean }, command: Command) => {
      const queue = requireQueue(command, name, topology);
      if (Boolean(options.all) === Boolean(options.id?.length))
        command.error('give either --id <messageId>... or --all', { exitCode: 2 });
      const selection: ReplaySelection = options.all ? { all: true } : { ids: options.id! };
      const result = await withStore((store) => store.replay(queue, selection));
      process.stdout.write(`replayed ${result.replayed.length} message(s) to ${queue}\n`);
      for (const id of result.replayed) process.stdout.write(`  ${id}\n`);
      if (result.missing.length > 0) {
        process.stderr.write(`not in ${queue}.dlq: ${result.missing.join(', ')}\n`);
        process.exitCode = 1;
      }
    });
}

function requireQueue(command: Command, name: string, topology: Topology): string {
  const queue = topology.workQueueOf(name);
  if (!queue) command.error(`unknown queue "${name}"; one of: ${topology.workQueues.join(', ')}`, { exitCode: 2 });
  return queue!;
}

/**
 * The adapter for the configured transport: RabbitMQ when AMQP_URL is set (it must answer first,
 * else one line says so), else the embedded queue in the database.
 */
async function withStore<T>(work: (store: DeadLetterStore) => Promise<T>): Promise<T> {
  const config = loadCliConfig();
  if (config.amqpUrl) {
    await checkBrokerAnswers(config.amqpUrl);
    return using(new AmqpDeadLetterStore(config.amqpUrl), work);
  }
  const { database } = await openCliDatabase();
  try {
    return await using(new EmbeddedDeadLetterStore(database), work);
  } finally {
    await database.close();
  }
}

async function using<T>(store: DeadLetterStore, work: (store: DeadLetterStore) => Promise<T>): Promise<T> {
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a positive integer, got "${value}"`);
  return n;
}

export function formatTable(letters: readonly DeadLetter[], now: Date): string {
  if (letters.length === 0) return 'no dead-lettered messages\n';
  const rows = letters.map((l) => [
    l.messageId,
    l.type,
    l.deliveries === null ? '-' : String(l.deliveries),
    l.since ? formatAge(now.getTime() - l.since.getTime()) : '-',
    (l.error ?? '-').replace(/\s+/g, ' ').slice(0, 100),
  ]);
  const header = ['ID', 'TYPE', 'DELIVERIES', 'AGE', 'ERROR'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
}
