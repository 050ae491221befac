import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUserBody, startTestService, type TestService } from '../support/test-service.js';
import { findPrometheus, PrometheusServer } from './prometheus-server.js';
import { metricNames, replaceGrafanaVariables, withoutThreshold } from './promql.js';

/**
 * The dashboard and the alerts checked against a real Prometheus scraping the real service under
 * a short load: every panel query and every alert expression must return at least one series, and
 * every metric it names must exist. A misspelled metric or label would otherwise only show up as
 * an empty panel, or an alert that can never fire.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const DASHBOARD = join(ROOT, 'deploy', 'grafana', 'dashboards', 'portico.json');
const ALERTS = join(ROOT, 'deploy', 'prometheus', 'alerts.yml');

const prometheusBinary = findPrometheus();
if (!prometheusBinary && process.env.CI === 'true') {
  throw new Error('prometheus is not installed: CI must run this suite (apt-get install prometheus)');
}

interface Panel {
  title: string;
  type: string;
  targets?: { refId: string; expr: string }[];
  panels?: Panel[];
}

interface Checked {
  readonly source: string;
  readonly expr: string;
  readonly series: number;
  readonly error: string | null;
  readonly missingMetrics: string[];
}

function dashboardQueries(): { source: string; expr: string }[] {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[] };
  const flatten = (panels: Panel[]): Panel[] => panels.flatMap((p) => [p, ...flatten(p.panels ?? [])]);
  return flatten(dashboard.panels).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({
      source: `panel "${panel.title}" ${target.refId}`,
      expr: replaceGrafanaVariables(target.expr),
    })),
  );
}

describe.skipIf(!prometheusBinary)('deploy/prometheus', () => {
  const promtool = join(dirname(prometheusBinary ?? ''), 'promtool');
  const PROMETHEUS_YML = join(ROOT, 'deploy', 'prometheus', 'prometheus.yml');

  it('passes promtool check config (which checks the rule files it names too)', () => {
    expect(execFileSync(promtool, ['check', 'config', PROMETHEUS_YML], { encoding: 'utf8' })).toContain('SUCCESS');
  });

  it('passes promtool check rules', () => {
    expect(execFileSync(promtool, ['check', 'rules', ALERTS], { encoding: 'utf8' })).toMatch(
      /SUCCESS: \d+ rules found/,
    );
  });
});

describe.skipIf(!prometheusBinary)('dashboard and alerts against a real Prometheus', () => {
  let service: TestService;
  let prometheus: PrometheusServer;
  let requestsSent = 0;
  const checked: Checked[] = [];

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    requestsSent += 1;
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        authorization: `Bearer ${service.adminToken}`,
        ...headers,
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };

  /** Creates, patches, reads, and a few refusals: enough for every panel to have a series. */
  async function generateLoad(): Promise<void> {
    const ids: string[] = [];
    for (let n = 0; n < 4; n += 1) {
      const created = await call('POST', '/api/v1/users', newUserBody(`prom${n}`), { prefer: 'wait=10' });
      expect(created.status).toBe(201);
      ids.push(String(created.body.id));
    }
    // Sign-ins: a success and a refusal, for the logins panel.
    const signIn = (password: string) =>
      call('POST', '/api/v1/auth/login', { email: 'personprom0@example.com', password });
    expect((await signIn('compiler-pioneer-1952')).status).toBe(200);
    expect((await signIn('not-the-password-at-all')).status).toBe(401);
    // A second-factor step refused, for the second-factor panel.
    expect((await call('POST', '/api/v1/auth/login/mfa', { mfaToken: 'unknown', code: '123456' })).status).toBe(401);
    const accepted = await call('POST', '/api/v1/users', newUserBody('prom-async'));
    expect(accepted.status).toBe(202);
    for (const id of ids.slice(0, 2)) {
      expect((await call('PATCH', `/api/v1/users/${id}`, { firstName: 'Ada' }, { prefer: 'wait=10' })).status).toBe(
        200,
      );
    }
    for (const id of ids) expect((await call('GET', `/api/v1/users/${id}`)).status).toBe(200);
    expect((await call('GET', '/api/v1/users?limit=10')).status).toBe(200);
    // A sign-up: its verification mail, for the mail panels (emails_sent_total, mail.deliveries).
    expect((await call('POST', '/api/v1/auth/register', newUserBody('prom-mail'), { authorization: '' })).status).toBe(
      202,
    );
    // Refusals: validation (400), a business rule in the worker (409), not found (404), stale If-Match (412).
    expect((await call('POST', '/api/v1/users', { email: 'not-an-email' })).status).toBe(400);
    expect((await call('POST', '/api/v1/users', newUserBody('prom0'), { prefer: 'wait=10' })).status).toBe(409);
    expect((await call('GET', '/api/v1/users/01900000-0000-7000-8000-000000000000')).status).toBe(404);
    expect((await call('GET', '/no/such/route')).status).toBe(404);
    const stale = await call(
      'PATCH',
      `/api/v1/users/${ids[0]}`,
      { lastName: 'Byron' },
      { 'if-match': '"1"', prefer: 'wait=10' },
    );
    expect(stale.status).toBe(412);
  }

  beforeAll(async () => {
    service = await startTestService('pglite');
    const target = new URL(service.url).host;
    prometheus = await PrometheusServer.start(
      prometheusBinary!,
      () => `
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - ${JSON.stringify(ALERTS)}
scrape_configs:
  - job_name: portico
    static_configs:
      - targets: [${JSON.stringify(target)}]
        labels:
          role: all
`,
    );
    await prometheus.waitFor('the first scrape', 30_000, async () => {
      const result = await prometheus.query('up{job="portico"} == 1');
      return 'series' in result && result.series.length === 1;
    });
    await generateLoad();
    // Every request of the load counted by Prometheus, then a few more scrapes so rates have samples.
    await prometheus.waitFor('the load to be scraped', 30_000, async () => {
      const result = await prometheus.query('sum(http_requests_total)');
      return 'series' in result && Number(result.series[0]?.value?.[1] ?? 0) >= requestsSent;
    });
    await sleep(3_000);
  }, 180_000);

  afterAll(async () => {
    if (checked.length > 0) {
      const width = Math.max(...checked.map((c) => c.source.length));
      const lines = checked.map((c) => {
        const problem = c.error ?? (c.missingMetrics.length > 0 ? `unknown metric ${c.missingMetrics.join(', ')}` : '');
        return `${c.source.padEnd(width)}  ${String(c.series).padStart(3)}  ${c.expr}${problem ? `  ← ${problem}` : ''}`;
      });
      const header = `${'source'.padEnd(width)}  ${'n'.padStart(3)}  query`;
      console.log(
        `\nPrometheus query → number of series (${checked.length} queries)\n${header}\n${lines.join('\n')}\n`,
      );
    }
    await prometheus?.stop();
    await service?.stop();
  }, 60_000);

  async function check(source: string, expr: string): Promise<Checked> {
    const names = await prometheus.get<string[]>('/api/v1/label/__name__/values');
    const result = await prometheus.query(expr);
    const entry: Checked = {
      source,
      expr,
      series: 'series' in result ? result.series.length : 0,
      error: 'error' in result ? `${result.error.errorType}: ${result.error.error}` : null,
      missingMetrics: metricNames(expr).filter((name) => !names.includes(name)),
    };
    checked.push(entry);
    return entry;
  }

  it('evaluates every dashboard query to at least one series, with no unknown metric', async () => {
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(20);
    const failures: Checked[] = [];
    for (const { source, expr } of queries) {
      const entry = await check(source, expr);
      expect(metricNames(expr).length, `${source} names no metric: ${expr}`).toBeGreaterThan(0);
      if (entry.error || entry.series === 0 || entry.missingMetrics.length > 0) failures.push(entry);
    }
    expect(failures).toEqual([]);
  });

  it('loads every alert rule, evaluates it without error, and its expression minus the threshold returns data', async () => {
    // The rules come from Prometheus itself: what it loaded from deploy/prometheus/alerts.yml.
    const declared = [...readFileSync(ALERTS, 'utf8').matchAll(/^\s*- alert:\s*(\S+)/gm)].map((m) => m[1]);
    type Rule = { name: string; query: string; health: string; lastError?: string; lastEvaluation: string };
    let rules: Rule[] = [];
    await prometheus.waitFor('every rule to be evaluated', 20_000, async () => {
      const data = await prometheus.get<{ groups: { rules: Rule[] }[] }>('/api/v1/rules?type=alert');
      rules = data.groups.flatMap((g) => g.rules);
      return rules.length > 0 && rules.every((r) => !r.lastEvaluation.startsWith('0001'));
    });
    expect(rules.map((r) => r.name).sort()).toEqual([...declared].sort());

    const failures: unknown[] = [];
    for (const rule of rules) {
      if (rule.health !== 'ok') failures.push({ rule: rule.name, health: rule.health, error: rule.lastError });
      // Every rule is `<expression> <op> <number>`: the threshold filters series out while healthy,
      // so the expression is evaluated without it and must return data; the full rule is checked
      // above by Prometheus's own evaluation (health ok).
      const split = withoutThreshold(rule.query);
      if (!split) {
        failures.push({ rule: rule.name, problem: 'not of the form <expression> <op> <number>', query: rule.query });
        continue;
      }
      const entry = await check(`alert ${rule.name} (without "${split.operator} ${split.threshold}")`, split.left);
      if (entry.error || entry.series === 0 || entry.missingMetrics.length > 0) failures.push(entry);
    }
    expect(failures).toEqual([]);
  });
});
