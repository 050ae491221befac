import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeProtectedHeader } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { PORTICO_BIN } from '../support/service-process.js';
import { startTestService, type TestService } from '../support/test-service.js';
import { call } from './support.js';

const run = promisify(execFile);

/**
 * Switching JWT_ALGORITHM on one database (PGlite in a directory, restarted in between): a start
 * with another algorithm makes a new key, `portico keys rotate` makes one of JWT_ALGORITHM, and
 * every older key stays in the JWKS, so the tokens it signed keep working until they expire.
 */
// Each step starts a whole service on a PGlite directory (or runs the CLI): slower than in memory.
describe('auth: rotating signing keys across algorithms', { timeout: 120_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'portico-keys-'));
  const tokens: Record<string, string> = {};
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const started = async (algorithm: string, work: (service: TestService) => Promise<void>) => {
    const service = await startTestService('pglite', { DATA_DIR: dataDir, JWT_ALGORITHM: algorithm });
    try {
      await work(service);
    } finally {
      await service.stop();
    }
  };
  const jwks = async (service: TestService) =>
    ((await (await fetch(`${service.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string; alg: string }[] })
      .keys;
  const portico = (...args: string[]) =>
    run(process.execPath, [PORTICO_BIN, ...args], {
      env: { ...process.env, DATA_DIR: dataDir, JWT_ALGORITHM: 'ES256', LOG_LEVEL: 'silent', DATABASE_URL: '' },
    });
  const accepted = async (service: TestService, token: string) =>
    (await call(service, 'GET', '/api/v1/users', undefined, token)).status;

  it('starts with EdDSA: one EdDSA key signs', async () => {
    await started('EdDSA', async (service) => {
      tokens.EdDSA = service.adminToken;
      expect(decodeProtectedHeader(service.adminToken).alg).toBe('EdDSA');
      expect((await jwks(service)).map((k) => k.alg)).toEqual(['EdDSA']);
    });
  });

  it('restarts with RS256: a new RS256 key signs, the EdDSA key still verifies its tokens', async () => {
    await started('RS256', async (service) => {
      tokens.RS256 = service.adminToken;
      expect(decodeProtectedHeader(service.adminToken).alg).toBe('RS256');
      expect((await jwks(service)).map((k) => k.alg)).toEqual(['RS256', 'EdDSA']);
      expect(await accepted(service, tokens.EdDSA!)).toBe(200);
    });
  });

  it('`portico keys rotate` with JWT_ALGORITHM=ES256 adds an ES256 key; `keys list` shows each algorithm', async () => {
    const { stdout } = await portico('keys', 'rotate');
    const kid = /^new ES256 signing key (\S+);/.exec(stdout)?.[1];
    expect(kid, stdout).toBeDefined();
    const list = (await portico('keys', 'list')).stdout.trim().split('\n');
    expect(list.map((line) => line.split(/\s+/)[1])).toEqual(['ES256', 'RS256', 'EdDSA']);
    expect(list[0]).toMatch(new RegExp(`^${kid} .*signing$`));
    expect(list.slice(1).every((line) => / retired \S+$/.test(line))).toBe(true);
  });

  it('restarts with ES256: no new key, the rotated one signs, every older token still works', async () => {
    await started('ES256', async (service) => {
      const published = await jwks(service);
      expect(published.map((k) => k.alg)).toEqual(['ES256', 'RS256', 'EdDSA']);
      expect(decodeProtectedHeader(service.adminToken)).toMatchObject({ alg: 'ES256', kid: published[0]!.kid });
      for (const token of [service.adminToken, tokens.RS256!, tokens.EdDSA!])
        expect(await accepted(service, token)).toBe(200);
    });
  });
});
