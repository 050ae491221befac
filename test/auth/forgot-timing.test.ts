import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Mailbox } from '../support/mailbox.js';
import { call, median, suiteService } from './support.js';

/**
 * An attacker must not learn which addresses have accounts from how long "forgot password" takes:
 * the answer leaves before the lookup. What the known address then sets off (a token, an event, a
 * mail, all in this one process) is let finish before the next request is timed, so that each
 * series measures its own answer, not the other's aftermath.
 */
describe('auth: forgot-password timing does not reveal accounts', () => {
  const service = suiteService({ RATE_LIMIT_EMAIL_PER_ADDRESS: '100000', RATE_LIMIT_EMAIL_PER_IP: '100000' }, [
    'forgetful',
  ]);

  it('answers a known and an unknown address with the same 202, within 25 % of each other (median of 50 paired differences)', async () => {
    const unknown: number[] = [];
    const known: number[] = [];
    const timeOne = async (email: string) => {
      const started = performance.now();
      const response = await call(service(), 'POST', '/api/v1/auth/password/forgot', { email });
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({});
      return performance.now() - started;
    };
    // A pause of varying length, so no periodic work of the service (polls, retries) keeps
    // landing on the same series.
    const pause = () => sleep(50 + Math.random() * 100);
    const mailbox = new Mailbox(service().url);
    // Interleaved, so drift in machine load hits both series alike.
    for (let i = 0; i < 50; i += 1) {
      unknown.push(await timeOne(`ghost${i % 5}@example.com`));
      await pause();
      known.push(await timeOne('personforgetful@example.com'));
      // Its aftermath (a token, an event, a mail) is over before the next answer is timed.
      await mailbox.waitFor('personforgetful@example.com', 'password-reset', i + 1);
      await pause();
    }
    const [a, b] = [median(unknown), median(known)];
    // Each pair was timed moments apart: the median of their differences stands against a burst
    // of other work on the machine that one series' median does not.
    const difference = median(known.map((k, i) => k - unknown[i]!));
    console.log(
      `forgot timing: unknown address median ${a.toFixed(1)} ms, known address median ${b.toFixed(1)} ms, ` +
        `median difference ${difference.toFixed(2)} ms`,
    );
    expect(Math.abs(difference) / Math.max(a, b)).toBeLessThan(0.25);
    // 100 answers, 50 mails and the pauses between them: beyond the default limit on a busy machine.
  }, 90_000);
});
