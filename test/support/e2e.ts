import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { postgresAvailable } from './postgres.js';
import { newUserBody, startTestService, type Engine, type TestService } from './test-service.js';

export const ENGINES: readonly Engine[] = ['pglite', 'postgres'];

const postgresUp = await postgresAvailable();

/**
 * The same suite against every engine: embedded PGlite always, real PostgreSQL when it answers
 * (required with CI=true, where `postgresAvailable` throws instead of skipping). One service per
 * engine, started before the suite and stopped after it; `api()` reaches it.
 */
export function describeEngines(
  name: string,
  body: (api: () => Api, engine: Engine, service: () => TestService) => void,
): void {
  describe.each(ENGINES)(`${name} [%s]`, (engine) => {
    describe.skipIf(engine === 'postgres' && !postgresUp)('', () => {
      let service: TestService | undefined;
      let client: Api | undefined;
      beforeAll(async () => {
        service = await startTestService(engine);
        client = new Api(service.url, service.adminToken);
      });
      afterAll(async () => {
        await service?.stop();
      });
      body(
        () => {
          if (!client) throw new Error('the service did not start');
          return client;
        },
        engine,
        () => {
          if (!service) throw new Error('the service did not start');
          return service;
        },
      );
    });
  });
}

export interface Reply<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON when the body is JSON, the text otherwise, undefined when empty. */
  readonly body: T;
  readonly text: string;
}

export interface RequestOptions {
  readonly body?: unknown;
  /** A raw body, sent as is (no JSON encoding, no default content type). */
  readonly raw?: string;
  readonly headers?: Record<string, string>;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: { field: string; message: string }[];
}

export interface UserBody {
  id: string;
  email: string;
  username: string;
  firstName: string;
  lastName: string;
  roles: string[];
  status: 'active' | 'deactivated';
  createdAt: string;
  updatedAt: string;
  version: number;
}

let counter = 0;
/** A number unique within this test process, so users never collide across tests of a file. */
export function unique(): string {
  counter += 1;
  return `${process.pid.toString(36)}x${counter}`;
}

/** A thin client over global fetch that reads every answer whole. */
export class Api {
  /** `token`: sent as the bearer unless a request sets its own Authorization header (or `null`). */
  constructor(
    readonly url: string,
    readonly token: string | null = null,
  ) {}

  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = {
      ...(this.token && { authorization: `Bearer ${this.token}` }),
      ...options.headers,
    };
    for (const [name, value] of Object.entries(headers)) if (value === '') delete headers[name];
    let payload: string | undefined;
    if (options.raw !== undefined) payload = options.raw;
    else if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
        headers['content-type'] = 'application/json';
    }
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers,
      ...(payload !== undefined && { body: payload }),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    let body: unknown = text === '' ? undefined : text;
    if (text !== '' && /json/.test(type)) body = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: body as T, text };
  }

  get<T = unknown>(path: string, headers?: Record<string, string>) {
    return this.request<T>('GET', path, headers ? { headers } : {});
  }

  /** Creates a user and waits until the read model shows it. */
  async createUser(overrides: Record<string, unknown> = {}): Promise<UserBody> {
    const reply = await this.request<UserBody>('POST', '/api/v1/users', {
      body: newUserBody(unique(), overrides),
      headers: { prefer: 'wait=10' },
    });
    expect(reply.status, reply.text).toBe(201);
    return reply.body;
  }

  /** Polls a command until it leaves `pending`. */
  async settle(commandId: string, timeoutMs = 10_000): Promise<CommandBody> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reply = await this.get<CommandBody>(`/api/v1/commands/${commandId}`);
      expect(reply.status, reply.text).toBe(200);
      if (reply.body.status !== 'pending') return reply.body;
      if (Date.now() > deadline) throw new Error(`command ${commandId} still pending after ${timeoutMs} ms`);
      await sleep(20);
    }
  }

  /** Polls GET /users/{id} until `accept` holds for the reply. */
  async eventually<T = unknown>(
    path: string,
    accept: (reply: Reply<T>) => boolean,
    timeoutMs = 10_000,
  ): Promise<Reply<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reply = await this.get<T>(path);
      if (accept(reply)) return reply;
      if (Date.now() > deadline)
        throw new Error(`${path} never reached the expected state: ${reply.status} ${reply.text}`);
      await sleep(20);
    }
  }
}

export interface CommandBody {
  commandId: string;
  type: string;
  status: 'pending' | 'succeeded' | 'failed';
  resourceId?: string;
  error?: Problem;
  createdAt: string;
  completedAt?: string;
}

/** Asserts the answer is an RFC 9457 problem of the contract with the given status and code. */
export function expectProblem(reply: Reply, status: number, code: string): Problem {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = reply.body as Problem;
  expect(body).toMatchObject({ status, code });
  expect(typeof body.type).toBe('string');
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  return body;
}

/** No password, no hash, nothing that looks like one, anywhere in a response. */
export function expectNoSecrets(reply: Reply, password?: string): void {
  expect(reply.text).not.toMatch(/password|hash|\$argon2/i);
  if (password) expect(reply.text).not.toContain(password);
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** How many commands the service has ever accepted (rows of messaging.command_status). */
export async function countCommands(service: TestService): Promise<number> {
  const result = await service.runtime.database.query<{ n: number | string }>(
    sql`select count(*)::int as n from messaging.command_status`,
  );
  return Number(result.rows[0]?.n ?? 0);
}
