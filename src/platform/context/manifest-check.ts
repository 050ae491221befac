import { PLATFORM_PROBLEMS } from '../http/problem.js';
import type { ContextManifest } from './context-manifest.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyManifest = ContextManifest<any, any>;

/**
 * What start-up refuses in the manifests, all reported at once: a command without a schema or a
 * handler, or that nothing sends; a route that sends an undeclared command; a name outside its
 * context; a queue or error code declared twice with different meanings; a reaction to an event
 * type nobody publishes.
 */
export function manifestProblems(manifests: readonly AnyManifest[]): string[] {
  const problems: string[] = [];
  const names = manifests.map((m) => m.name);
  for (const name of names.filter((n, i) => names.indexOf(n) !== i)) problems.push(`context ${name} is declared twice`);
  const declared = new Set(manifests.flatMap((m) => Object.keys(m.commands)));
  const sent = new Set(manifests.flatMap((m) => [...(m.portSends ?? []), ...m.routes.flatMap((r) => r.sends ?? [])]));
  for (const m of manifests) problems.push(...commandProblems(m, sent), ...namingProblems(m));
  for (const type of sent) if (!declared.has(type)) problems.push(`${type} is sent but no context declares it`);
  problems.push(...queueProblems(manifests), ...errorProblems(manifests), ...reactionProblems(manifests));
  return problems;
}

/** A reaction names exact event types some context publishes: a typo would silently never run. */
function reactionProblems(manifests: readonly AnyManifest[]): string[] {
  const published = new Set(manifests.flatMap((m) => m.events));
  return manifests.flatMap((m) =>
    (m.reactions ?? [])
      .flatMap((r) => r.on)
      .filter((type) => !published.has(type))
      .map((type) => `${m.name} reacts to ${type}, which no context publishes`),
  );
}

function commandProblems(m: AnyManifest, sent: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const [type, definition] of Object.entries(m.commands)) {
    const literal = (definition.schema?.properties?.type as { const?: unknown } | undefined)?.const;
    if (!definition.schema) problems.push(`${type} has no schema`);
    else if (literal !== type) problems.push(`${type}'s schema must fix "type" to the literal "${type}"`);
    if (typeof definition.handler !== 'function') problems.push(`${type} has no handler`);
    if (!sent.has(type)) problems.push(`${type} is declared but no route or port sends it`);
  }
  return problems;
}

function namingProblems(m: AnyManifest): string[] {
  const outside = [...Object.keys(m.commands), ...m.events].filter((type) => !type.startsWith(`${m.name}.`));
  return outside.map((type) => `${type} is declared by ${m.name} but not named ${m.name}.…`);
}

function queueProblems(manifests: readonly AnyManifest[]): string[] {
  const queues = manifests.flatMap((m) => [`${m.name}.commands`, ...m.consumers.map((c) => c.queue)]);
  return queues.filter((q, i) => queues.indexOf(q) !== i).map((q) => `queue ${q} is declared twice`);
}

function errorProblems(manifests: readonly AnyManifest[]): string[] {
  const seen = new Map<string, { status: number; owner: string }>(
    Object.entries(PLATFORM_PROBLEMS).map(([code, e]) => [code, { status: e.status, owner: 'the platform' }]),
  );
  const problems: string[] = [];
  for (const m of manifests) {
    for (const [code, entry] of Object.entries(m.errors)) {
      const earlier = seen.get(code);
      if (earlier) problems.push(`error code ${code} of ${m.name} is already declared by ${earlier.owner}`);
      seen.set(code, { status: entry.status, owner: m.name });
    }
  }
  return problems;
}
