import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { Inbox } from '../../platform/messaging/inbox.js';
import { rebuildProjection } from '../../platform/messaging/projection-rebuild.js';
import { EventSubscriptions, Queues } from '../../platform/messaging/topology.js';
import {
  USER_VIEWS_PROJECTION,
  UserViewsProjector,
} from '../../contexts/users/infrastructure/projection/user-views.projector.js';
import { openCliDatabase } from './cli-context.js';

/** `portico projections rebuild`: rebuilds the read model from the outbox and swaps it in. */
export function registerProjectionsCommand(program: Command): void {
  const projections = program.command('projections').description('manage read-model projections');
  projections
    .command('rebuild')
    .description(
      'replay every event kept in the outbox into a fresh read.user_views_rebuild, then swap it in atomically; ' +
        'safe while the service runs',
    )
    .option('--batch-size <n>', 'events per transaction', (v) => Number(v), 500)
    .option('--no-progress', 'no progress bar')
    .action(async (options: { batchSize: number; progress: boolean }) => {
      const { database } = await openCliDatabase();
      const bar = new SingleBar({
        stream: process.stderr,
        format: 'rebuilding user_views [{bar}] {percentage}% | {value}/{total} events | {duration_formatted}',
        noTTYOutput: true,
        notTTYSchedule: 2_000,
        hideCursor: true,
      });
      const started = Date.now();
      try {
        if (options.progress) bar.start(0, 0);
        const report = await rebuildProjection({
          database,
          table: 'read.user_views',
          eventTypes: EventSubscriptions[Queues.userViewsProjection] ?? [],
          projection: USER_VIEWS_PROJECTION,
          applierFor: (table) => {
            const projector = new UserViewsProjector(database, new Inbox(database), table);
            return (event) => projector.apply(event);
          },
          batchSize: options.batchSize,
          onProgress: (done, total) => {
            if (!options.progress) return;
            bar.setTotal(total);
            bar.update(done);
          },
        });
        if (bar.isActive) bar.stop();
        process.stdout.write(
          `rebuilt read.user_views from ${report.scanned} outbox events (${report.applied} applied) in ${Date.now() - started} ms\n`,
        );
      } finally {
        // Only when the rebuild failed part-way: stop() renders, so it must run once.
        if (bar.isActive) bar.stop();
        await database.close();
      }
    });
}
