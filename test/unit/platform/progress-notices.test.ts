import { describe, expect, it } from 'vitest';
import { commandFinished, ProgressNotices, viewChanged } from '../../../src/platform/messaging/progress-notices.js';
import { poll } from '../../../src/platform/system/poll.js';

/** One pause on a watch of its own: ends at the next notice for `key`, or after `ms`. */
async function pauseOnce(notices: ProgressNotices, key: string, ms: number): Promise<void> {
  const watch = notices.watch(key);
  try {
    await watch.pause(ms);
  } finally {
    watch.close();
  }
}

describe('ProgressNotices', () => {
  it('ends a pause at the notice for its key, and only for its key', async () => {
    const notices = new ProgressNotices();
    let woken = false;
    const pause = pauseOnce(notices, commandFinished('c-1'), 10_000).then(() => (woken = true));
    notices.notify(commandFinished('c-2'));
    notices.notify(viewChanged('c-1'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(woken).toBe(false);

    notices.notify(commandFinished('c-1'));
    await pause;
    expect(woken).toBe(true);
    expect(notices.waiters).toBe(0);
  });

  it('ends a pause after its time when no notice comes, and forgets it', async () => {
    const notices = new ProgressNotices();
    const started = Date.now();
    await pauseOnce(notices, viewChanged('u-1'), 20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    expect(notices.waiters).toBe(0);
  });

  it('wakes every waiter when told nothing particular (a listener that reconnected)', async () => {
    const notices = new ProgressNotices();
    const pauses = [pauseOnce(notices, 'a', 10_000), pauseOnce(notices, 'b', 10_000), pauseOnce(notices, 'a', 10_000)];
    expect(notices.waiters).toBe(3);
    notices.notify(undefined);
    await Promise.all(pauses);
    expect(notices.waiters).toBe(0);
  });
});

describe('ProgressNotices.waitFor', () => {
  it('keeps a notice that comes while the caller looks: the next pause ends at once', async () => {
    const notices = new ProgressNotices({ firstMs: 60_000, maxMs: 60_000 });
    notices.markAnnounced();
    let checks = 0;
    const started = Date.now();
    const result = await notices.waitFor('k', Date.now() + 120_000, async () => {
      checks += 1;
      if (checks === 1) notices.notify('k');
      return checks === 2 ? 'done' : null;
    });
    expect(result).toBe('done');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(notices.waiters).toBe(0);
  });

  it('looks rarely while notices are announced, and often while they are not', async () => {
    const looksIn = async (notices: ProgressNotices): Promise<number> => {
      let checks = 0;
      const waiting = notices.waitFor('k', Date.now() + 10_000, async () => (++checks > 1_000 ? 'never' : null));
      await new Promise((resolve) => setTimeout(resolve, 150));
      const seen = checks;
      checks = 1_000;
      notices.notify('k');
      expect(await waiting).toBe('never');
      return seen;
    };
    const announced = new ProgressNotices();
    announced.markAnnounced();

    expect(await looksIn(announced)).toBeLessThanOrEqual(3);
    expect(await looksIn(new ProgressNotices())).toBeGreaterThanOrEqual(5);
  });
});

describe('poll', () => {
  it('looks again as soon as its wait ends: a notice makes a long back-off short', async () => {
    const notices = new ProgressNotices();
    let ready = false;
    let checks = 0;
    const started = Date.now();
    const result = poll(
      Date.now() + 5_000,
      async () => {
        checks += 1;
        return ready ? 'done' : null;
      },
      (ms) => pauseOnce(notices, 'k', ms * 1000),
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    ready = true;
    notices.notify('k');
    expect(await result).toBe('done');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(checks).toBe(2);
  });

  it('gives null once the deadline passes', async () => {
    expect(await poll(Date.now() + 30, async () => null)).toBeNull();
  });
});
