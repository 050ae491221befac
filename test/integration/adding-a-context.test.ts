import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/test-service.js';
import { greetingsContext, received } from '../fixtures/greetings/greetings.context.js';

// Adding a context is its folder and one line in apps/contexts.ts: here, that line is the test's.
describe('a new context declared by its manifest alone', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService('pglite', {}, { extraContexts: [greetingsContext] });
  });

  afterAll(async () => {
    await service?.stop();
  });

  const send = (to: string) =>
    fetch(`${service.url}/api/v1/greetings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', prefer: 'wait=10' },
      body: JSON.stringify({ to }),
    });

  it('gets its queue and bindings, its handler, its route and its consumer from the manifest', async () => {
    const topology = service.runtime.contexts.topology;
    expect(topology.queueForCommand('greetings.send_greeting')).toBe('greetings.commands');
    expect(topology.queuesForEvent('greetings.greeting.sent')).toEqual(['greetings.inbox']);
    const response = await send('Ada');
    expect(response.status).toBe(201);
    const body = (await response.json()) as { id: string; to: string };
    expect(body.to).toBe('Ada');
    expect(received.map((g) => g.id)).toContain(body.id);
  });

  it('answers its own error code with the status its manifest gives', async () => {
    const response = await send('nobody');
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await response.json()).toMatchObject({ code: 'greeting_refused', title: 'The greeting was refused' });
  });

  it('shows up in the OpenAPI document under its own tag', async () => {
    const document = (await (await fetch(`${service.url}/openapi.json`)).json()) as {
      tags: { name: string }[];
      paths: Record<string, { post?: { tags?: string[] } }>;
    };
    expect(document.tags.map((t) => t.name)).toEqual(['users', 'auth', 'mail', 'oidc', 'greetings', 'commands', 'operations']);
    expect(Object.keys(document.paths)).toContain('/api/v1/greetings');
    expect(document.paths['/api/v1/greetings']?.post?.tags, 'the route is tagged with its context').toEqual([
      'greetings',
    ]);
  });
});
