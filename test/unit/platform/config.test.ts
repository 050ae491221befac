import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { CONFIG_TABLE, loadConfig } from '../../../src/apps/config/config.js';
import {
  ConfigError,
  durations,
  equals,
  flag,
  integer,
  oneOf,
  secret,
  text,
  unset,
  url,
  VariableTable,
  type Parser,
} from '../../../src/platform/config/variables.js';

const read = <T>(parser: Parser<T>, raw: string) => parser.read(raw);

/** The problems a load reports (none when it succeeds). */
function problemsOf(load: () => unknown): readonly string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('parsers', () => {
  it.each([
    ['0', 0],
    ['65535', 65_535],
    ['1e3', 1_000],
  ])('integer(0, 65535) accepts %j', (raw, value) => {
    expect(read(integer(0, 65_535), raw)).toEqual({ value });
  });

  it.each(['-1', '65536', '1.5', 'abc'])('integer(0, 65535) refuses %j, saying the range and the text', (raw) => {
    expect(read(integer(0, 65_535), raw)).toEqual({ problem: `must be an integer from 0 to 65535, got "${raw}"` });
  });

  it('url accepts its protocols and keeps the text as given', () => {
    const postgres = url('postgres:', 'postgresql:');
    expect(read(postgres, 'postgres://u:p@db:5432/x')).toEqual({ value: 'postgres://u:p@db:5432/x' });
    expect(read(postgres, 'postgresql://db/x')).toEqual({ value: 'postgresql://db/x' });
  });

  it('url refuses another protocol or a non-URL, without echoing the text (it may hold a password)', () => {
    const postgres = url('postgres:', 'postgresql:');
    expect(read(postgres, 'mysql://u:secret@db/x')).toEqual({
      problem: 'must start with postgres:// or postgresql://',
    });
    expect(read(postgres, 'db host:5432')).toEqual({ problem: 'is not a valid URL' });
  });

  it('durations reads ms, s and m, spaces around commas allowed', () => {
    expect(read(durations(10, '60m'), '500ms, 1s,2m')).toEqual({ value: [500, 1_000, 120_000] });
    expect(read(durations(10, '60m'), '60m')).toEqual({ value: [3_600_000] });
  });

  it.each(['5', '1h', '0s', ' , ', '61m', '1s,1s,1s'])('durations(2, "60m") refuses %j', (raw) => {
    expect(read(durations(2, '60m'), raw)).toEqual({
      problem: `must be 1 to 2 durations up to 60m, like "5s,30s,5m", got "${raw}"`,
    });
  });

  it('oneOf accepts its values only', () => {
    expect(read(oneOf('info', 'debug'), 'debug')).toEqual({ value: 'debug' });
    expect(read(oneOf('info', 'debug'), 'DEBUG')).toEqual({ problem: 'must be one of info, debug' });
  });

  it('equals is true for its value and false for any other text', () => {
    expect(read(equals('development'), 'development')).toEqual({ value: true });
    expect(read(equals('development'), 'production')).toEqual({ value: false });
  });

  it('flag reads true and false only: a typo does not turn a switch off', () => {
    expect(read(flag(), 'true')).toEqual({ value: true });
    expect(read(flag(), 'false')).toEqual({ value: false });
    expect(read(flag(), 'no')).toEqual({ problem: 'must be true or false, got "no"' });
    expect(loadConfig({ DB_NAMED_STATEMENTS: 'false' }).dbNamedStatements).toBe(false);
  });

  it('text accepts anything; secret too, and only secret is read untrimmed', () => {
    expect(read(text(), 'a b')).toEqual({ value: 'a b' });
    expect(text().untrimmed).toBeFalsy();
    expect(secret().untrimmed).toBe(true);
  });
});

const table = VariableTable.create()
  .add('port', { env: 'PORT', parser: integer(0, 65_535), default: '3000', doc: 'port' })
  .add('host', { env: 'HOST', parser: text(), default: '127.0.0.1', doc: 'host' })
  .add('publicUrl', { env: 'PUBLIC_URL', parser: url('http:', 'https:'), default: unset, doc: 'url' })
  .add('issuer', {
    env: 'ISSUER',
    parser: text(),
    default: { shown: 'PUBLIC_URL', from: (c) => c.publicUrl ?? `http://${c.host}:${c.port}` },
    doc: 'iss',
  })
  .add('password', { env: 'PASSWORD', parser: secret(), default: unset, doc: 'secret' })
  .check((c) => (c.password !== null && c.publicUrl === null ? 'PASSWORD needs PUBLIC_URL' : null));

describe('VariableTable', () => {
  it('reads defaults through the parser, unset as null, and derives defaults from the fields before', () => {
    expect(table.read({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      publicUrl: null,
      issuer: 'http://127.0.0.1:3000',
      password: null,
    });
    expect(table.read({ PORT: ' 8080 ', HOST: 'api' }).issuer).toBe('http://api:8080');
    expect(table.read({ PUBLIC_URL: 'https://id.example' }).issuer).toBe('https://id.example');
    expect(table.read({ ISSUER: 'urn:portico' }).issuer).toBe('urn:portico');
  });

  it('takes the default for an empty or blank variable, but keeps a secret as written', () => {
    expect(table.read({ PORT: '', HOST: '   ' })).toMatchObject({ port: 3000, host: '127.0.0.1' });
    expect(table.read({ PUBLIC_URL: 'http://x', PASSWORD: ' pass phrase ' }).password).toBe(' pass phrase ');
    expect(table.read({ PASSWORD: '' }).password).toBeNull();
  });

  it('reports every problem together, the cross-field rules included', () => {
    const problems = problemsOf(() => table.read({ PORT: 'http', PUBLIC_URL: 'ftp://x', PASSWORD: 'p' }));
    expect(problems).toEqual([
      'PORT must be an integer from 0 to 65535, got "http"',
      'PUBLIC_URL must start with http:// or https://',
      'PASSWORD needs PUBLIC_URL',
    ]);
  });

  it('documents each variable with its default as shown, and aligns the help', () => {
    expect(table.docs).toContainEqual({ env: 'ISSUER', doc: 'iss', shown: 'PUBLIC_URL' });
    expect(table.docs).toContainEqual({ env: 'PUBLIC_URL', doc: 'url', shown: 'unset' });
    expect(table.help().split('\n')).toEqual([
      '  PORT        port (default: 3000)',
      '  HOST        host (default: 127.0.0.1)',
      '  PUBLIC_URL  url (default: unset)',
      '  ISSUER      iss (default: PUBLIC_URL)',
      '  PASSWORD    secret (default: unset)',
    ]);
  });

  it('refuses a field or variable declared twice, and a default its own parser refuses', () => {
    expect(() => table.add('port', { env: 'OTHER', parser: text(), default: 'x', doc: '' })).toThrow(/twice/);
    expect(() => table.add('other', { env: 'PORT', parser: text(), default: 'x', doc: '' })).toThrow(/twice/);
    const broken = VariableTable.create().add('n', { env: 'N', parser: integer(1, 2), default: '3', doc: '' });
    expect(() => broken.read({})).toThrow(/default of N must be an integer/);
  });
});

describe("Portico's table", () => {
  it('keeps every default', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      dataDir: '.data',
      databaseUrl: null,
      amqpUrl: null,
      logLevel: 'info',
      nodeEnv: null,
      prettyLogs: process.stdout.isTTY === true,
      workerConcurrency: 4,
      hashConcurrency: availableParallelism(),
      dbPoolSize: 10,
      dbNamedStatements: true,
      publicUrl: null,
      retryDelaysMs: [5_000, 30_000, 300_000],
      admissionBacklogSeconds: 1,
      admissionMinBacklog: 50,
      metricsPort: 9464,
      jwtIssuer: 'http://127.0.0.1:3000',
      jwtAlgorithm: 'RS256',
      jwtAudience: 'portico',
      accessTokenTtlSeconds: 900,
      revocationPollMs: 250,
      refreshTokenTtlSeconds: 2_592_000,
      loginsPerIpPerMinute: 60,
      registrationsPerIpPerHour: 20,
      lockoutThreshold: 5,
      adminEmail: null,
      adminPassword: null,
      corsOrigins: [],
      trustProxy: false,
      otelEndpoint: null,
      otelServiceName: 'portico',
      smtpUrl: null,
      mailFrom: 'Portico <no-reply@localhost>',
      encryptionKeys: null,
      requireEmailVerification: false,
      emailsPerAddressPerHour: 5,
      emailRequestsPerIpPerHour: 30,
      webauthnRpId: 'localhost',
      webauthnOrigins: ['http://localhost:3000'],
    });
  });

  it('reads the WebAuthn variables: from PUBLIC_URL by default, origins that must be on the RP ID', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://id.example.com' })).toMatchObject({
      webauthnRpId: 'id.example.com',
      webauthnOrigins: ['https://id.example.com'],
    });
    expect(loadConfig({ PORT: '8080' }).webauthnOrigins).toEqual(['http://localhost:8080']);
    const config = loadConfig({
      WEBAUTHN_RP_ID: 'example.com',
      WEBAUTHN_ORIGINS: 'https://id.example.com, https://example.com',
    });
    expect([config.webauthnRpId, config.webauthnOrigins]).toEqual([
      'example.com',
      ['https://id.example.com', 'https://example.com'],
    ]);
    expect(() => loadConfig({ WEBAUTHN_RP_ID: 'example.com', WEBAUTHN_ORIGINS: 'https://evil.test' })).toThrow(
      /WEBAUTHN_ORIGINS: https:\/\/evil.test is not on WEBAUTHN_RP_ID example.com/,
    );
    expect(() => loadConfig({ WEBAUTHN_ORIGINS: 'https://id.example.com/path' })).toThrow(/WEBAUTHN_ORIGINS/);
  });

  it('reads the mail variables: an SMTP URL, MAIL_FROM from PUBLIC_URL, the key ring, the verification switch', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const config = loadConfig({
      SMTP_URL: 'smtps://mailer:pw@smtp.example.com:465',
      PUBLIC_URL: 'https://id.example.com',
      ENCRYPTION_KEYS: `${key},${key}`,
      REQUIRE_EMAIL_VERIFICATION: 'true',
    });
    expect(config.smtpUrl).toBe('smtps://mailer:pw@smtp.example.com:465');
    expect(config.mailFrom).toBe('Portico <no-reply@id.example.com>');
    expect(config.encryptionKeys?.map((k) => k.toString('base64'))).toEqual([key, key]);
    expect(config.requireEmailVerification).toBe(true);
    expect(() => loadConfig({ SMTP_URL: 'http://smtp.example.com' })).toThrow(/SMTP_URL must start with smtp:\/\//);
    expect(() => loadConfig({ ENCRYPTION_KEYS: 'c2hvcnQ=' })).toThrow(/ENCRYPTION_KEYS key 1 must be 32 bytes/);
  });

  it('reads CORS_ORIGINS as exact origins and refuses anything else (a path, a wildcard)', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }).corsOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
    for (const bad of ['*', 'https://app.example.com/', 'app.example.com', 'https://a.example.com,']) {
      expect(() => loadConfig({ CORS_ORIGINS: bad }), bad).toThrow(/CORS_ORIGINS must be origins/);
    }
  });

  it.each([
    ['true', true],
    ['2', 2],
    ['10.0.0.0/8, 127.0.0.1', '10.0.0.0/8, 127.0.0.1'],
  ])('reads TRUST_PROXY=%j as Fastify wants it', (raw, value) => {
    expect(loadConfig({ TRUST_PROXY: raw }).trustProxy).toEqual(value);
  });

  it('wants the bootstrap admin email and password together, and says every problem at once', () => {
    const problems = problemsOf(() =>
      loadConfig({ LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', PORTICO_ADMIN_PASSWORD: 'p' }),
    );
    expect(problems).toEqual([
      'DATABASE_URL must start with postgres:// or postgresql://',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
      'PORTICO_ADMIN_EMAIL and PORTICO_ADMIN_PASSWORD must be set together',
    ]);
  });

  it('documents every variable exactly once', () => {
    const names = CONFIG_TABLE.docs.map((v) => v.env);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength(Object.keys(loadConfig({})).length);
  });
});
