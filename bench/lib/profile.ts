import { readFileSync } from 'node:fs';

/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and says where the time went: self time by
 * function and by package. Self time is taken from the samples and their time deltas (not hit
 * counts times a nominal interval), so a profile with uneven sampling still adds up.
 */

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface Bucket {
  readonly name: string;
  readonly selfMs: number;
  /** Share of the busy time (idle excluded). */
  readonly percent: number;
}

export interface ProfileSummary {
  readonly wallMs: number;
  readonly sampledMs: number;
  readonly idleMs: number;
  readonly busyMs: number;
  readonly byPackage: readonly Bucket[];
  /** The same, with native, node-runtime and WebAssembly time charged to the nearest calling package (who asked for it). */
  readonly byCaller: readonly Bucket[];
  readonly byFunction: readonly Bucket[];
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** `node_modules/@scope/name/…` → `@scope/name`; Portico's own code → `portico src/<area>`; node's → `node:internal`. */
export function packageOf(frame: CallFrame): string {
  if (SPECIAL.has(frame.functionName) && frame.url === '') return frame.functionName;
  const url = frame.url;
  if (url === '') return '(native / V8 builtins)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node: (runtime)';
  // Compiled WebAssembly (here: PGlite's PostgreSQL) is named by a hash only.
  if (url.startsWith('wasm://')) return '(WebAssembly)';
  const src = /\/(src|bin)\/(.*)$/.exec(url);
  if (src) {
    const parts = src[2]!.split('/');
    // src/contexts/users/infrastructure/… → contexts/users/infrastructure; src/platform/http/… → platform/http
    const depth = parts[0] === 'contexts' ? 3 : parts[0] === 'platform' || parts[0] === 'shared' ? 2 : 1;
    return `portico ${src[1]}/${parts.slice(0, Math.min(depth, parts.length - 1)).join('/')}`.replace(/\/$/, '');
  }
  return url;
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + '/node_modules/'.length);
  const src = url.indexOf('/src/');
  if (src >= 0) return url.slice(src + 1);
  return url.replace(/^file:\/\//, '');
}

/**
 * `windows` (monotonic µs, the clock V8 stamps profiles with) keeps only the samples inside them,
 * so start-up, seeding and pauses between scenarios do not blur the picture.
 */
export function summarizeProfile(
  file: string,
  top = 25,
  windows: readonly (readonly [number, number])[] = [],
): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfByNode = new Map<number, number>();
  const inWindow = (t: number) => windows.length === 0 || windows.some(([from, to]) => t >= from && t <= to);
  let sampledUs = 0;
  let wallUs = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i += 1) {
    at += profile.timeDeltas[i] ?? 0;
    // timeDeltas[i] is the time before sample i; the sample "owns" the time until the next one.
    const delta = profile.timeDeltas[i + 1] ?? 0;
    if (delta <= 0 || !inWindow(at)) continue;
    wallUs += delta;
    sampledUs += delta;
    const id = profile.samples[i]!;
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + delta);
  }
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const runtime = (pkg: string) =>
    pkg === '(native / V8 builtins)' || pkg === 'node: (runtime)' || pkg === '(WebAssembly)';
  const callerOf = (id: number): string => {
    const own = packageOf(nodes.get(id)!.callFrame);
    if (!runtime(own)) return own;
    for (let at = parents.get(id); at !== undefined; at = parents.get(at)) {
      const pkg = packageOf(nodes.get(at)!.callFrame);
      if (!runtime(pkg) && !SPECIAL.has(pkg)) return pkg;
    }
    return own;
  };
  const byPackage = new Map<string, number>();
  const byCaller = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let idleUs = 0;
  for (const [id, us] of selfByNode) {
    const frame = nodes.get(id)!.callFrame;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const pkg = packageOf(frame);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const caller = callerOf(id);
    byCaller.set(caller, (byCaller.get(caller) ?? 0) + us);
    const name = SPECIAL.has(frame.functionName)
      ? frame.functionName
      : `${frame.functionName || '(anonymous)'} ${frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '(native)'}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  }
  const busyUs = sampledUs - idleUs;
  const buckets = (map: Map<string, number>, limit: number): Bucket[] =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, us]) => ({ name, selfMs: us / 1000, percent: busyUs > 0 ? (us / busyUs) * 100 : 0 }));
  return {
    wallMs: windows.length === 0 ? (profile.endTime - profile.startTime) / 1000 : wallUs / 1000,
    sampledMs: sampledUs / 1000,
    idleMs: idleUs / 1000,
    busyMs: busyUs / 1000,
    byPackage: buckets(byPackage, top),
    byCaller: buckets(byCaller, top),
    byFunction: buckets(byFunction, top),
  };
}

export function profileMarkdown(title: string, summary: ProfileSummary): string {
  const row = (b: Bucket) =>
    `| ${b.name.replaceAll('|', '\\|')} | ${b.selfMs.toFixed(0)} | ${b.percent.toFixed(1)} % |`;
  return [
    `### ${title}`,
    '',
    `Main thread: ${(summary.wallMs / 1000).toFixed(1)} s profiled, ${(summary.busyMs / 1000).toFixed(1)} s busy ` +
      `(${summary.wallMs > 0 ? ((summary.busyMs / summary.wallMs) * 100).toFixed(0) : 0} %), ` +
      `${(summary.idleMs / 1000).toFixed(1)} s idle. Shares below are of the busy time. Work on the libuv pool ` +
      '(argon2) and in other processes (PostgreSQL, RabbitMQ) is not in a main-thread profile.',
    '',
    '| package / area (self time) | self ms | share |',
    '|---|---:|---:|',
    ...summary.byPackage.map(row),
    '',
    '| package / area, with native, node-runtime and WebAssembly time charged to its caller | ms | share |',
    '|---|---:|---:|',
    ...summary.byCaller.map(row),
    '',
    '| function | self ms | share |',
    '|---|---:|---:|',
    ...summary.byFunction.map(row),
    '',
  ].join('\n');
}
