import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/apps/config/config.js';
import type { Delivery } from '../../../src/platform/messaging/message.js';
import { withRetryPolicy } from '../../../src/platform/messaging/retry-policy.js';

const delivery = (deliveryCount: number): Delivery => ({
  queue: 'users.commands',
  messageId: 'm1',
  type: 'users.create_user',
  correlationId: 'c1',
  timestamp: new Date(0),
  headers: {},
  body: {},
  deliveryCount,
});

describe('RETRY_DELAYS', () => {
  it('defaults to 5 s, 30 s, 5 min and reads durations', () => {
    expect(loadConfig({}).retryDelaysMs).toEqual([5_000, 30_000, 300_000]);
    expect(loadConfig({ RETRY_DELAYS: '500ms, 1s,2m' }).retryDelaysMs).toEqual([500, 1_000, 120_000]);
  });

  it.each(['5', '1h', '0s', '', ' , '])('refuses %j (or falls back when empty)', (raw) => {
    if (raw === '') return expect(loadConfig({ RETRY_DELAYS: raw }).retryDelaysMs).toHaveLength(3);
    expect(() => loadConfig({ RETRY_DELAYS: raw })).toThrow(ConfigError);
  });

  it('sets the waits and the number of deliveries before the DLQ', async () => {
    const policy = withRetryPolicy(() => Promise.reject(new Error('database unavailable')), pino({ level: 'silent' }), {
      delaysMs: [1_000, 2_000],
    });
    expect(await policy(delivery(1))).toMatchObject({ outcome: 'retry', delayMs: 1_000 });
    expect(await policy(delivery(2))).toMatchObject({ outcome: 'retry', delayMs: 2_000 });
    expect(await policy(delivery(3))).toMatchObject({ outcome: 'dead-letter' });
  });
});
