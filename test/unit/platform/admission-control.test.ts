import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../src/platform/logging/logger.js';
import { HttpProblemError } from '../../../src/platform/http/problem.js';
import { AdmissionControl, type AdmissionSettings } from '../../../src/platform/messaging/admission-control.js';
import { thrown } from '../../support/thrown.js';

const logger = createLogger({ level: 'silent', pretty: false });
const SETTINGS: AdmissionSettings = { backlogSeconds: 2, minBacklog: 10, sampleMs: 3_600_000 };

describe('admission control (DESIGN.md §4: refuse past a backlog the workers cannot clear soon)', () => {
  const started: AdmissionControl[] = [];
  afterEach(() => started.splice(0).forEach((a) => a.stop()));

  async function admission(backlog: { pending: number; finished: number }, settings = SETTINGS) {
    const registry = new Registry();
    const control = new AdmissionControl({ backlog: async () => backlog }, settings, registry, logger);
    await control.start();
    started.push(control);
    return { control, registry };
  }

  it('allows what the workers finished in the last 2 s per second, times the allowed seconds', async () => {
    const { control } = await admission({ pending: 0, finished: 500 });
    expect(control.limit).toBe(500);
  });

  describe('as samples come in', () => {
    beforeEach(() => void vi.useFakeTimers());
    afterEach(() => void vi.useRealTimers());

    it('remembers the drain rate through a lull (callers waiting out Retry-After), fading it over seconds', async () => {
      const backlog = { pending: 0, finished: 400 };
      const { control } = await admission(backlog, { ...SETTINGS, sampleMs: 1_000 });
      expect(control.limit).toBe(400);
      backlog.finished = 20;
      await vi.advanceTimersByTimeAsync(1_000);
      // 200/s faded by one second of thirty: e^-1/30 × 200 × 2 s.
      expect(control.limit).toBe(Math.floor(200 * Math.exp(-1 / 30) * 2));
      await vi.advanceTimersByTimeAsync(180_000);
      expect(control.limit).toBe(20);
    });

    it('raises the limit while it refuses, the backlog drains and what it accepted finished in under half the allowed time', async () => {
      const backlog = { pending: 10, finished: 0, waitSeconds: 0 };
      const { control } = await admission(backlog, { ...SETTINGS, sampleMs: 250 });
      expect(thrown(() => control.admit())).toBeInstanceOf(HttpProblemError);
      // Workers that stopped: what finished finished fast, but the backlog does not go down.
      Object.assign(backlog, { finished: 10, waitSeconds: 0.2 });
      await vi.advanceTimersByTimeAsync(250);
      expect(control.limit).toBe(10);
      expect(thrown(() => control.admit())).toBeInstanceOf(HttpProblemError);
      Object.assign(backlog, { pending: 4 });
      await vi.advanceTimersByTimeAsync(250);
      expect(control.limit).toBe(20);
      // Nothing refused since: no evidence the limit is too low, it holds, fading slowly.
      await vi.advanceTimersByTimeAsync(250);
      expect(control.limit).toBe(19);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(control.limit).toBe(10);
    });

    it('takes the measured rate at once when commands wait longer than allowed, or wait and none finish', async () => {
      const backlog = { pending: 0, finished: 400, waitSeconds: 0.1 };
      const { control } = await admission(backlog, { ...SETTINGS, sampleMs: 250 });
      Object.assign(backlog, { pending: 300, finished: 100, waitSeconds: 3 });
      await vi.advanceTimersByTimeAsync(250);
      expect(control.limit).toBe(100);
      Object.assign(backlog, { pending: 300, finished: 0, waitSeconds: 0 });
      await vi.advanceTimersByTimeAsync(250);
      expect(control.limit).toBe(10);
    });
  });

  it('always allows the minimum backlog, even before the workers finished anything', async () => {
    const { control } = await admission({ pending: 0, finished: 0 });
    expect(control.limit).toBe(10);
    for (let i = 0; i < 10; i++) control.admit();
    expect(thrown(() => control.admit())).toBeInstanceOf(HttpProblemError);
  });

  it('refuses with 503, a Retry-After of the time to drain the excess, and counts the refusal', async () => {
    const { control, registry } = await admission({ pending: 250, finished: 100 });

    const refused = thrown(() => control.admit()) as HttpProblemError;

    expect(refused.problem).toMatchObject({ status: 503, code: 'service_unavailable' });
    expect(refused.headers['Retry-After']).toBe('4');
    expect(await registry.getSingleMetricAsString('commands_refused_total')).toContain(
      'commands_refused_total{reason="backlog"} 1',
    );
    expect(await registry.getSingleMetricAsString('command_backlog')).toContain('command_backlog 250');
  });

  it('caps Retry-After at 30 s', async () => {
    const { control } = await admission({ pending: 100_000, finished: 5 });
    expect((thrown(() => control.admit()) as HttpProblemError).headers['Retry-After']).toBe('30');
  });

  it('counts what it admitted since the last sample, so a burst cannot overshoot', async () => {
    const { control } = await admission({ pending: 8, finished: 0 });
    control.admit();
    control.admit();
    expect(thrown(() => control.admit())).toBeInstanceOf(HttpProblemError);
  });

  it('admits everything when turned off, and in a role that never started it', async () => {
    const { control } = await admission({ pending: 1_000, finished: 0 }, { ...SETTINGS, backlogSeconds: 0 });
    expect(control.enabled).toBe(false);
    expect(() => control.admit()).not.toThrow();
    const idle = new AdmissionControl(
      { backlog: async () => ({ pending: 1_000, finished: 0 }) },
      SETTINGS,
      new Registry(),
      logger,
    );
    for (let i = 0; i < 50; i++) idle.admit();
  });
});
