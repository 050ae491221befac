import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAllServices, startService, type ServiceProcess } from '../support/service-process.js';

/**
 * The README's "Try it with curl" blocks, pasted into bash as they are (only the port differs)
 * against a real `portico start` with the administrator the README starts it with.
 */
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(
  readme.indexOf('### Try it with curl'),
  readme.indexOf('Every error is `application/problem+json`'),
);
const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!);
const start = blocks.find((block) => block.includes('npm start'))!;
const curlBlocks = blocks.filter((block) => block.includes('curl'));

const run = promisify(execFile);
const has = async (tool: string) =>
  run(tool, ['--version']).then(
    () => true,
    () => false,
  );
const tools = (await has('curl')) && (await has('jq'));

describe('the README curl blocks', () => {
  it('have no placeholder to fill in: every id comes from an earlier answer', () => {
    expect(curlBlocks.length).toBeGreaterThanOrEqual(2);
    for (const block of curlBlocks) expect(block).not.toMatch(/<[a-zA-Z]+>/);
  });

  describe.skipIf(!tools)('run in bash against a running service', { timeout: 120_000 }, () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'portico-readme-'));
    let service: ServiceProcess;
    beforeAll(async () => {
      const admin = (name: string) => new RegExp(`${name}='?([^' ]+)'?`).exec(start)![1]!;
      service = await startService({
        env: {
          DATA_DIR: dataDir,
          PORTICO_ADMIN_EMAIL: admin('PORTICO_ADMIN_EMAIL'),
          PORTICO_ADMIN_PASSWORD: admin('PORTICO_ADMIN_PASSWORD'),
        },
      });
    }, 120_000);
    afterAll(async () => {
      await killAllServices();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('as pasted, one after the other, with every answer the comments promise', async () => {
      const script = curlBlocks.join('\n').replaceAll('localhost:3000', `127.0.0.1:${service.port}`);
      const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { timeout: 90_000 });
      // Sign-up, me, the reused refresh token, logout then the refused token.
      expect(stdout).toContain('"username":"ada"');
      expect(stdout).toContain('"code":"refresh_token_reused"');
      expect(stdout).toMatch(/204\n401\n/);
      // The admin's 202, the command, the user read back and found, the stale If-Match, Ada's audit.
      expect(stdout).toMatch(/\{"commandId":"[^"]+","status":"pending","resourceId":"[^"]+"\}/);
      expect(stdout).toContain('"type":"users.create_user"');
      expect(stdout).toMatch(/^etag: "1"/m);
      expect(stdout).toContain('"username":"grace"');
      expect(stdout).toContain('"code":"version_conflict"');
      expect(stdout).toContain('"type":"auth.refresh_token.reused"');
    });
  });
});
