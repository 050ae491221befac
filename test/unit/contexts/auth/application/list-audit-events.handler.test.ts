import { describe, expect, it } from 'vitest';
import {
  type AuditEvent,
  ListAuditEventsHandler,
  type ListAuditEventsQuery,
} from '../../../../../src/contexts/auth/application/list-audit-events/list-audit-events.handler.js';
import { AuthEventTypes } from '../../../../../src/contexts/auth/domain/auth-events.js';
import { InMemoryAuditLogReader } from '../../../../support/in-memory/in-memory-audit-log-reader.js';

const event = (n: number, overrides: Partial<AuditEvent> = {}): AuditEvent => ({
  id: `event-${n}`,
  type: AuthEventTypes.loginSucceeded,
  occurredAt: new Date(Date.UTC(2026, 0, 1, 0, n)),
  sessionId: `session-${n}`,
  reason: null,
  ...overrides,
});

/** A log holding `count` events of u1 (event-1 … event-n, oldest first) and one of u2. */
function setup(count: number) {
  const log = new InMemoryAuditLogReader();
  for (let n = 1; n <= count; n += 1) log.add('u1', event(n));
  log.add('u2', event(99));
  return { log, handler: new ListAuditEventsHandler(log) };
}

const list = (overrides: Partial<ListAuditEventsQuery> = {}): ListAuditEventsQuery => ({
  type: 'auth.list_audit_events',
  userId: 'u1',
  ...overrides,
});

describe('ListAuditEventsHandler', () => {
  it("lists the user's events newest first, without their positions", async () => {
    const { handler } = setup(3);
    const page = await handler.handle(list());
    expect(page).toEqual({ items: [event(3), event(2), event(1)], nextCursor: null });
  });

  it('passes sessionId and reason through', async () => {
    const log = new InMemoryAuditLogReader();
    log.add('u1', event(1, { type: AuthEventTypes.sessionRevoked, reason: 'logout' }));
    const page = await new ListAuditEventsHandler(log).handle(list());
    expect(page.items).toEqual([event(1, { type: AuthEventTypes.sessionRevoked, reason: 'logout' })]);
  });

  it('pages 50 at a time by default, asking the log for one more to know whether a next page exists', async () => {
    const { handler, log } = setup(51);
    const page = await handler.handle(list());
    expect(page.items).toHaveLength(50);
    expect(log.calls).toEqual([{ userId: 'u1', limit: 51, beforePosition: undefined }]);
    expect(page.nextCursor).not.toBeNull();
  });

  it('walks every event exactly once by following nextCursor', async () => {
    const { handler } = setup(5);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages += 1) {
      const page = await handler.handle(list({ limit: 2, ...(cursor === undefined ? {} : { cursor }) }));
      seen.push(...page.items.map((e) => e.id));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(['event-5', 'event-4', 'event-3', 'event-2', 'event-1']);
  });

  it('has no next page when the last page is exactly full', async () => {
    const { handler } = setup(4);
    const first = await handler.handle(list({ limit: 2 }));
    expect(first.nextCursor).toBe('3');
    await expect(handler.handle(list({ limit: 2, cursor: first.nextCursor! }))).resolves.toEqual({
      items: [event(2), event(1)],
      nextCursor: null,
    });
  });

  it('answers an empty page for a user without events', async () => {
    const { handler } = setup(2);
    await expect(handler.handle(list({ userId: 'u3' }))).resolves.toEqual({ items: [], nextCursor: null });
  });

  it('answers no cursor for a zero-size page', async () => {
    const { handler } = setup(2);
    await expect(handler.handle(list({ limit: 0 }))).resolves.toEqual({ items: [], nextCursor: null });
  });

  it.each(['', '0', '-1', '01', 'abc', '1.5', ' 1', '12345678901234567'])(
    'refuses the cursor %j with validation_failed on cursor',
    async (cursor) => {
      const { handler, log } = setup(2);
      await expect(handler.handle(list({ cursor }))).rejects.toMatchObject({
        code: 'validation_failed',
        errors: [{ field: 'cursor', message: 'is not a cursor this API issued' }],
      });
      expect(log.calls).toEqual([]);
    },
  );
});
