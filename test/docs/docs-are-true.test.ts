import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../src/apps/config/config.js';
import { PROBLEM_CATALOGUE } from '../../src/platform/http/problem.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the README and the code agree', () => {
  it.each(Object.keys(CONFIG_VARIABLES))('documents %s in the configuration table', (name) => {
    expect(readme).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
  });

  it('documents no variable the code does not read', () => {
    const documented = [...readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    for (const name of documented) expect(Object.keys(CONFIG_VARIABLES)).toContain(name);
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
