import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../src/apps/api.js';
import { loadConfig } from '../../src/apps/config/config.js';
import { createRuntime, type Runtime } from '../../src/apps/runtime.js';
import { PROBLEM_CATALOGUE } from '../support/contexts.js';

/**
 * docs/api.md is the contract a user who clones the repository reads: it must name every route
 * the service serves, every problem code with its status, and only configuration the code reads.
 * Everything above its "Planned (not yet served)" heading must be true today.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const API_DOC = readFileSync(join(ROOT, 'docs/api.md'), 'utf8');
const PLANNED_HEADING = /^## Planned \(not yet served\)$/m;
const served = API_DOC.split(PLANNED_HEADING)[0]!;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

describe('docs/api.md and the running API agree', () => {
  let runtime: Runtime;
  let app: Awaited<ReturnType<typeof buildApi>>;
  let routes: string[];

  beforeAll(async () => {
    // The API role as `portico api` builds it, on an in-memory PGlite, without listening on a port,
    // a worker or the admin bootstrap (no argon2): only its routes matter here.
    const config = loadConfig({ LOG_LEVEL: 'silent', HASH_CONCURRENCY: '1' });
    runtime = await createRuntime({ ...config, dataDir: '' }, pino({ level: 'silent' }), { migrate: true });
    app = await buildApi(runtime);
    const response = await app.inject({ method: 'GET', url: '/openapi.json' });
    const paths = (response.json() as { paths: Record<string, Record<string, unknown>> }).paths;
    routes = Object.entries(paths).flatMap(([path, operations]) =>
      METHODS.filter((method) => method in operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
  });

  afterAll(async () => {
    await app?.close();
    await runtime?.close();
  });

  it('has a "Planned (not yet served)" section, last', () => {
    expect(API_DOC).toMatch(PLANNED_HEADING);
    expect(API_DOC.slice(served.length)).not.toMatch(/^## (?!Planned)/m);
  });

  it('finds the routes in /openapi.json', () => {
    expect(routes.length).toBeGreaterThan(10);
  });

  it('documents every route the service registers, outside the planned section', () => {
    const missing = routes.filter((route) => !served.includes(`\`${route}\``));
    expect(missing, 'routes served but not in docs/api.md').toEqual([]);
  });

  it('documents as served only routes the service answers', async () => {
    const documented = new Set(
      [...served.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/[^\s`]*)`/g)].map((m) => `${m[1]} ${m[2]}`),
    );
    const unknown: string[] = [];
    for (const route of documented) {
      if (routes.includes(route)) continue;
      // Routes OpenAPI hides (the document itself, Swagger UI) must still answer.
      const [method, url] = route.split(' ') as [string, string];
      if (url.includes('{')) {
        unknown.push(route);
        continue;
      }
      const response = await app.inject({ method: method as 'GET', url });
      if (response.statusCode === 404) unknown.push(route);
    }
    expect(unknown, 'routes docs/api.md describes as served that the service does not have').toEqual([]);
  });
});

describe('docs/api.md lists the problem catalogue', () => {
  const rows = new Map(
    [...served.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1]!, Number(m[2])] as const),
  );

  it.each(Object.entries(PROBLEM_CATALOGUE))('lists %s with its status', (code, { status }) => {
    expect(rows.get(code), `| \`${code}\` | ${status} | … row in docs/api.md`).toBe(status);
  });

  it('lists no code the catalogue does not define', () => {
    for (const code of rows.keys()) expect(Object.keys(PROBLEM_CATALOGUE)).toContain(code);
  });
});

describe('docs/api.md names only configuration the code reads', () => {
  // The README's configuration table is checked against the code (docs-are-true.test.ts): every
  // variable docs/api.md names must be a row there, with the same default.
  const configRow = /^\| `([A-Z][A-Z0-9_]+)` \|.*\| ([^|]+) \|$/gm;
  const readme = new Map(
    [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(configRow)].map((m) => [m[1]!, m[2]!.trim()] as const),
  );
  const rows = [...served.matchAll(configRow)].map((m) => ({ name: m[1]!, documentedDefault: m[2]!.trim() }));

  it('has a configuration table', () => {
    expect(rows.length).toBeGreaterThan(5);
  });

  it.each(rows)('$name is a variable the code reads, with its default', ({ name, documentedDefault }) => {
    expect(readme.has(name), `${name} is not in the README's configuration table`).toBe(true);
    expect(documentedDefault).toBe(readme.get(name));
  });
});

describe('the documentation links only inside the repository', () => {
  const files = [
    'README.md',
    ...readdirSync(join(ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];

  it.each(files)('%s has no link to an absolute path or outside the repository', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8').replace(/^```[\s\S]*?^```/gm, '');
    const targets = [
      ...[...text.matchAll(/\]\(\s*<?([^)\s>]+)/g)].map((m) => m[1]!), // [text](target)
      ...[...text.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]!), // [ref]: target
      ...[...text.matchAll(/\b(?:href|src)\s*=\s*["']([^"']+)["']/g)].map((m) => m[1]!), // HTML
    ];
    const outside = targets.filter((target) => {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) return false; // URLs, anchors
      if (target.startsWith('/')) return true;
      const resolved = relative(ROOT, resolve(ROOT, dirname(file), target.split('#')[0]!));
      return resolved === '..' || resolved.startsWith(`..${sep}`);
    });
    expect(outside, `links in ${file} that a clone of the repository cannot follow`).toEqual([]);
  });
});
