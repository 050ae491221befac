import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_TABLE } from '../../src/apps/config/config.js';
import { PROBLEM_CATALOGUE } from '../support/contexts.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the README and the code agree', () => {
  /** The configuration table's rows: `| \`NAME\` | meaning | default |`. */
  const rows = new Map(
    [...readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| (.+?) \| (.+?) \|$/gm)].map((m) => [m[1]!, `${m[2]} | ${m[3]}`]),
  );

  it.each(CONFIG_TABLE.docs.map((v) => [v.env, v] as const))(
    'documents %s in the configuration table with its meaning and default',
    (env, v) => {
      expect(rows.get(env)).toBe(`${v.doc} | ${v.shown === 'unset' ? 'unset' : `\`${v.shown}\``}`);
    },
  );

  it('documents no variable the code does not read', () => {
    const read = CONFIG_TABLE.docs.map((v) => v.env);
    expect([...rows.keys()].filter((name) => !read.includes(name))).toEqual([]);
  });
});

describe('every error code has an HTTP status', () => {
  const codes = new Set<string>();
  for (const file of sourceFiles(new URL('../../src', import.meta.url).pathname)) {
    const text = readFileSync(file, 'utf8');
    // A code is the first argument when the second is the message text (NotFoundError takes a noun and an id).
    const calls = /(?:super|new DomainError|HttpProblemError\.of|problem)\(\s*'([a-z_]+)',\s*[`'"]/g;
    for (const match of text.matchAll(calls)) codes.add(match[1]!);
  }

  it('finds the codes raised in src', () => {
    expect(codes.size).toBeGreaterThan(10);
  });

  it.each([...codes])('%s is in the problem catalogue (else it would answer 500)', (code) => {
    expect(PROBLEM_CATALOGUE[code], code).toBeDefined();
  });
});
