import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import type { ConsumerEntry } from '../../platform/context/context-catalogue.js';
import type { Database } from '../../platform/db/database.js';
import { rebuildProjection } from '../../platform/messaging/projection-rebuild.js';
import { contextsFor } from '../contexts.js';
import { openCliDatabase } from './cli-context.js';

/** `portico projections rebuild [name]`: rebuilds a read model from the outbox and swaps it in. */
export function registerProjectionsCommand(program: Command): void {
  const projections = program.command('projections').description('manage read-model projections');
  projections
    .command('rebuild')
    .description(
      "replay every event kept in the outbox into a fresh copy of a projection's table, then swap it in " +
        'atomically; safe while the service runs',
    )
    .argument('[name]', 'the projection (default: every projection)')
    .option('--batch-size <n>', 'events per transaction', (v) => Number(v), 500)
    .option('--no-progress', 'no progress bar')
    .action(async (name: string | undefined, options: { batchSize: number; progress: boolean }, command: Command) => {
      const { config, database } = await openCliDatabase();
      try {
        const all = contextsFor(config).consumers.filter((entry) => entry.definition.projection);
        const chosen = all.filter((entry) => name === undefined || entry.definition.projection!.name === name);
        if (chosen.length === 0) {
          const known = all.map((e) => e.definition.projection!.name).join(', ');
          command.error(`unknown projection "${name}"; one of: ${known}`, { exitCode: 2 });
        }
        for (const entry of chosen) await rebuild(database, entry, options);
      } finally {
        await database.close();
      }
    });
}

async function rebuild(
  database: Database,
  { definition }: ConsumerEntry,
  options: { batchSize: number; progress: boolean },
) {
  const projection = definition.projection!;
  const bar = new SingleBar({
    stream: process.stderr,
    format: `rebuilding ${projection.table.split('.').pop()} [{bar}] {percentage}% | {value}/{total} events | {duration_formatted}`,
    noTTYOutput: true,
    notTTYSchedule: 2_000,
    hideCursor: true,
  });
  const started = Date.now();
  try {
    if (options.progress) bar.start(0, 0);
    const report = await rebuildProjection({
      database,
      table: projection.table,
      eventTypes: definition.subscribesTo,
      projection: projection.name,
      applierFor: (table) => projection.applierFor(database, table),
      batchSize: options.batchSize,
      onProgress: (done, total) => {
        if (!options.progress) return;
        bar.setTotal(total);
        bar.update(done);
      },
    });
    if (bar.isActive) bar.stop();
    process.stdout.write(
      `rebuilt ${projection.table} from ${report.scanned} outbox events (${report.applied} applied) in ${Date.now() - started} ms\n`,
    );
  } finally {
    // Only when the rebuild failed part-way: stop() renders, so it must run once.
    if (bar.isActive) bar.stop();
  }
}
