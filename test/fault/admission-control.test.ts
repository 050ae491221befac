import { describe, expect, it } from 'vitest';
import { mapLimit, request, until } from './http-client.js';
import { ADMIN, Cluster } from './rabbitmq/cluster.js';
import { machineServicesUp, useIsolatedServices } from './rabbitmq/services.js';

const up = await machineServicesUp();
const MIN_BACKLOG = 20;

/**
 * DESIGN.md §4 admission control, on the production shape: with no worker running nothing
 * drains, so past ADMISSION_MIN_BACKLOG the API answers 503 with Retry-After instead of 202, and
 * says so in a metric. Once a worker runs, every accepted command is applied and new ones are
 * accepted again.
 */
describe.skipIf(!up)('Admission control: refuses past the backlog instead of queueing without bound', () => {
  const services = useIsolatedServices();

  it('accepts up to the backlog, refuses the rest with 503 + Retry-After, and applies every accepted one', async () => {
    const env = { ADMISSION_MIN_BACKLOG: String(MIN_BACKLOG), ADMISSION_BACKLOG_SECONDS: '2' };
    const cluster = await Cluster.start({ ...services(), workers: 0, env });
    const api = cluster.apiUrl;
    const login = await request(`${api}/api/v1/auth/login`, 'POST', ADMIN);
    const auth = { authorization: `Bearer ${(login.body as { accessToken: string }).accessToken}` };
    const me = (await request(`${api}/api/v1/auth/me`, 'GET', undefined, auth)).body as { id: string };

    const answers = await mapLimit(
      Array.from({ length: 60 }, (_, i) => i),
      4,
      async (i) => {
        const response = await fetch(`${api}/api/v1/users/${me.id}`, {
          method: 'PATCH',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ firstName: `Backlog${i}` }),
        });
        const body = (await response.json()) as { commandId?: string; code?: string };
        return { status: response.status, retryAfter: response.headers.get('retry-after'), body };
      },
    );
    const accepted = answers.filter((a) => a.status === 202);
    const refused = answers.filter((a) => a.status === 503);
    console.log(`[admission] 60 PATCHes with no worker: ${accepted.length} accepted, ${refused.length} refused`);

    expect(accepted.length + refused.length).toBe(60);
    // A command being stored while the backlog is sampled can be missed once or counted twice
    // (AdmissionControl.sample): the error is at most the 4 in flight, either way.
    expect(accepted.length).toBeGreaterThanOrEqual(MIN_BACKLOG - 4);
    expect(accepted.length).toBeLessThanOrEqual(MIN_BACKLOG + 4);
    expect(refused.every((a) => a.body.code === 'service_unavailable' && Number(a.retryAfter) >= 1)).toBe(true);
    const metrics = await (await fetch(`${api}/metrics`)).text();
    expect(metrics).toMatch(/commands_refused_total\{reason="backlog"\} (\d+)/);
    expect(Number(/commands_refused_total\{reason="backlog"\} (\d+)/.exec(metrics)?.[1])).toBe(refused.length);

    await cluster.startRole('worker');
    const applied = await until(Date.now() + 60_000, 250, async () => {
      const statuses = await Promise.all(
        accepted.map(
          async (a) => (await request(`${api}/api/v1/commands/${a.body.commandId}`, 'GET', undefined, auth)).body,
        ),
      );
      return statuses.every((s) => (s as { status: string }).status === 'succeeded') ? statuses : null;
    });
    expect(applied, 'every accepted command is applied once a worker runs').not.toBeNull();

    const again = await until(Date.now() + 10_000, 300, async () => {
      const answer = await request(`${api}/api/v1/users/${me.id}`, 'PATCH', { firstName: 'Drained' }, auth);
      return answer.status === 202 ? answer : null;
    });
    expect(again?.status).toBe(202);
    await cluster.stop();
  }, 180_000);
});
