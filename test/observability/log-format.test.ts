import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Readable lines for a person at a terminal, JSON for anything else (a pipe, a collector, a
 * container), LOG_FORMAT to force either: the choice `portico` makes at start, in a real process
 * whose stdout is a terminal (a pseudo-terminal from util-linux `script`) or a pipe.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'portico-log-format-'));
const probe = join(dir, 'probe.mts');
const src = (path: string) => pathToFileURL(join(ROOT, 'src', path)).href;
writeFileSync(
  probe,
  `import { createLogger } from '${src('platform/logging/logger.ts')}';
   import { loadConfig } from '${src('apps/config/config.ts')}';
   const config = loadConfig();
   const logger = createLogger({ level: config.logLevel, pretty: config.prettyLogs });
   logger.info({ component: 'probe', password: 'format-secret', body: { refreshToken: 'nested-secret' } }, 'probe line');
  `,
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = promisify(execFile);
const hasScript = await run('script', ['--version']).then(
  () => true,
  () => false,
);

/** The probe's stdout, at a terminal or through a pipe, with only `env` set beyond PATH and HOME. */
async function probeOutput(terminal: boolean, env: Record<string, string> = {}): Promise<string> {
  const node = [process.execPath, '--import', 'tsx', probe];
  const options = {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', ...env },
    timeout: 30_000,
  };
  const { stdout } = terminal
    ? await run('script', ['-qec', node.map((part) => `'${part}'`).join(' '), '/dev/null'], options)
    : await run(node[0]!, node.slice(1), options);
  return stdout.replace(/\r\n/g, '\n');
}

const PRETTY = /^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: probe line$/m;

function expectJson(output: string): void {
  const line = JSON.parse(output.trim().split('\n').at(-1)!) as Record<string, unknown>;
  expect(line).toMatchObject({ msg: 'probe line', component: 'probe', password: '[redacted]' });
  expect(line.body).toEqual({ refreshToken: '[redacted]' });
}

function expectPretty(output: string): void {
  expect(output).toMatch(PRETTY);
  expect(output).toContain('component: "probe"');
  expect(output).toContain('password: "[redacted]"');
  expect(output).toContain('"refreshToken": "[redacted]"');
  expect(output).not.toMatch(/^\{/m);
  // The service name is on every line, so a terminal is spared it.
  expect(output).not.toContain('service:');
}

describe('log format', () => {
  it('is JSON through a pipe, redacted', async () => {
    const output = await probeOutput(false);
    expectJson(output);
    expect(output).not.toMatch(/format-secret|nested-secret/);
  });

  it('is readable lines with LOG_FORMAT=pretty through a pipe, redacted', async () => {
    const output = await probeOutput(false, { LOG_FORMAT: 'pretty' });
    expectPretty(output);
    expect(output).not.toMatch(/format-secret|nested-secret/);
  });

  it.skipIf(!hasScript)('is readable lines at a terminal, redacted', async () => {
    const output = await probeOutput(true);
    expectPretty(output);
    expect(output).not.toMatch(/format-secret|nested-secret/);
  });

  it.skipIf(!hasScript)('is JSON at a terminal with NODE_ENV=production or LOG_FORMAT=json', async () => {
    expectJson(await probeOutput(true, { NODE_ENV: 'production' }));
    expectJson(await probeOutput(true, { LOG_FORMAT: 'json' }));
    // LOG_FORMAT wins over NODE_ENV.
    expectPretty(await probeOutput(true, { NODE_ENV: 'production', LOG_FORMAT: 'pretty' }));
  });

  it('refuses any other LOG_FORMAT', async () => {
    const failure = await probeOutput(false, { LOG_FORMAT: 'yaml' }).then(
      () => null,
      (error: { stderr: string }) => error.stderr,
    );
    expect(failure).toContain('LOG_FORMAT must be pretty or json');
  });
});
