import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { CONFIG_TABLE, loadConfig } from '../../src/apps/config/config.js';

/**
 * The deployment files (Dockerfile, compose.yaml + example.env, deploy/k8s) checked without a
 * container engine or a cluster: `docker-compose config`, the Kubernetes and KEDA schemas shipped
 * by kubernetes-models (both as runtime validation and as TypeScript types, which also refuse
 * unknown or misspelled fields), and the cross-references no schema sees (selectors, names,
 * variables, ports).
 */

const ROOT = join(import.meta.dirname, '..', '..');
const K8S = join(ROOT, 'deploy', 'k8s');
const CI = process.env.CI === 'true';
const read = (...path: string[]) => readFileSync(join(ROOT, ...path), 'utf8');

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (value ?? {}) as Json;
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

const ROLES = ['api', 'worker', 'relay', 'projector', 'mailer', 'migrate', 'start'];
const PORTICO_SERVICES = ['migrate', 'api', 'worker', 'relay', 'projector', 'mailer'];
const CONFIG_NAMES = new Set(CONFIG_TABLE.docs.map((v) => v.env));
/** Variables of the infrastructure images and of compose itself (documented in example.env too). */
const INFRA_PREFIX = /^(POSTGRES|RABBITMQ|GF|COMPOSE)_/;
/** OpenTelemetry's standard variables, read by its SDK rather than by loadConfig. */
const OTEL_PREFIX = /^OTEL_/;
const COMPOSE_ONLY = new Set([
  'PORTICO_IMAGE',
  'API_HOST_PORT',
  'PROMETHEUS_HOST_PORT',
  'GRAFANA_HOST_PORT',
  'JAEGER_UI_HOST_PORT',
  'MAILPIT_UI_HOST_PORT',
]);
const isInfraVariable = (name: string) => INFRA_PREFIX.test(name) || OTEL_PREFIX.test(name) || COMPOSE_ONLY.has(name);
const isPorticoVariable = (name: string) => CONFIG_NAMES.has(name) || OTEL_PREFIX.test(name);

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages = instructions
    .join('\n')
    .split(/^FROM /m)
    .slice(1);
  const runtime = stages.at(-1) ?? '';

  it('builds in one stage and runs production dependencies and dist/ in a node:20-bookworm-slim stage', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages[0]).toMatch(/^RUN npm ci\b(?!.*--omit=dev)/m);
    expect(stages[0]).toMatch(/^RUN npm run build$/m);
    expect(runtime).toMatch(/^RUN npm ci --omit=dev\b/m);
    expect(runtime).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    for (const path of ['bin', 'migrations', 'package.json']) expect(runtime).toContain(`COPY ${path}`);
  });

  it('runs as a non-root user, with a HEALTHCHECK, the CLI as entrypoint and `start` by default', () => {
    const user = /^USER (\S+)$/m.exec(runtime)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    expect(runtime).toMatch(/^HEALTHCHECK .*CMD \["node", "healthcheck\.mjs"\]$/m);
    expect(runtime).toMatch(/^ENTRYPOINT \["node", "bin\/portico\.js"\]$/m);
    expect(runtime).toMatch(/^CMD \["start"\]$/m);
    // Roles run alone must listen beyond the loopback for Prometheus and the probes to reach them.
    expect(runtime).toMatch(/HOST=0\.0\.0\.0/);
  });

  it('runs Node with the heap settings of `npm start`, as NODE_OPTIONS a user can replace', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: { start: string } }).scripts.start;
    const flags = /^node ((?:--\S+ ?)+) bin\/portico\.js start$/.exec(start)?.[1]?.trim();
    expect(flags).toMatch(/--max-old-space-size=\d+/);
    expect(runtime).toContain(`NODE_OPTIONS="${flags}"`);
  });

  it('copies only files that exist and that .dockerignore keeps in the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    const sources = instructions
      .filter((line) => line.startsWith('COPY ') && !line.includes('--from='))
      .flatMap((line) => line.slice('COPY '.length).split(/\s+/).slice(0, -1));
    expect(sources).toContain('src');
    for (const source of sources) {
      expect(existsSync(join(ROOT, source)), source).toBe(true);
      for (const pattern of ignored) {
        expect(source === pattern || source.startsWith(`${pattern}/`), `${source} is ignored by ${pattern}`).toBe(
          false,
        );
      }
    }
    for (const heavy of ['node_modules', 'dist', '.git', '.env', '.data']) expect(ignored).toContain(heavy);
  });

  it('builds dist/ from src only: tsconfig.build.json compiles no test and keeps bin/portico.js paths', () => {
    const parsed = ts.getParsedCommandLineOfConfigFile(
      join(ROOT, 'tsconfig.build.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
          throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
        },
      },
    );
    const files = (parsed?.fileNames ?? []).map((file) => file.slice(ROOT.length + 1));
    expect(files).toContain('src/apps/cli.ts');
    expect(files.filter((file) => !file.startsWith('src/') || /\.(test|spec)\.ts$/.test(file))).toEqual([]);
    expect(parsed?.options.rootDir).toBe(join(ROOT, 'src'));
    expect(parsed?.options.outDir).toBe(join(ROOT, 'dist'));
    expect(read('bin', 'portico.js')).toContain('../dist/apps/cli.js');
  });
});

describe('healthcheck.mjs (the HEALTHCHECK of every role)', () => {
  const script = join(ROOT, 'deploy', 'docker', 'healthcheck.mjs');
  const servers: Server[] = [];

  const serve = async (path: string): Promise<number> => {
    const server = createServer((request, response) => {
      response.writeHead(request.url === path ? 200 : 404).end();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };
  /** A port nothing listens on: bound, then released. */
  const freePort = async (): Promise<number> => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
  };
  const check = async (port: number, metricsPort: number) => {
    const env = { PATH: process.env.PATH ?? '', PORT: String(port), METRICS_PORT: String(metricsPort) };
    try {
      await promisify(execFile)(process.execPath, [script], { env, timeout: 10_000 });
      return { healthy: true, stderr: '' };
    } catch (error) {
      return { healthy: false, stderr: String((error as { stderr?: string }).stderr) };
    }
  };

  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('is healthy when the API answers /health on PORT', async () => {
    expect(await check(await serve('/health'), await freePort())).toEqual({ healthy: true, stderr: '' });
  });

  it('is healthy when only /metrics answers on METRICS_PORT (worker, relay, projector)', async () => {
    expect((await check(await freePort(), await serve('/metrics'))).healthy).toBe(true);
  });

  it('is unhealthy when /health fails, or nothing listens at all', async () => {
    const failing = await check(await serve('/elsewhere'), await serve('/metrics'));
    expect(failing).toEqual({ healthy: false, stderr: expect.stringContaining('answered 404') });
    const none = await check(await freePort(), await freePort());
    expect(none).toEqual({ healthy: false, stderr: expect.stringContaining('nothing listens') });
  });
});

// ----------------------------------------------------------------------------------------------
// compose.yaml + example.env
// ----------------------------------------------------------------------------------------------

interface EnvFile {
  /** Every variable the file names, set or commented out. */
  readonly documented: Set<string>;
  /** The values set (uncommented lines). */
  readonly values: Record<string, string>;
}

function readEnvFile(text: string): EnvFile {
  const documented = new Set<string>();
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (!match) continue;
    documented.add(match[2]!);
    if (!match[1]) values[match[2]!] = match[3]!;
  }
  return { documented, values };
}

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, $$. */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (match, name, op, arg) => {
    if (match === '$$') return '$';
    const value = env[name as string];
    const unset = (op as string | undefined)?.startsWith(':') ? !value : value === undefined;
    if ((op as string | undefined)?.endsWith('-')) return unset ? (arg as string) : value!;
    if ((op as string | undefined)?.endsWith('?')) {
      if (unset) throw new Error(`${name as string}: ${arg as string}`);
      return value!;
    }
    return value ?? '';
  });
}

function interpolateAll(value: unknown, env: Record<string, string>): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateAll(item, env));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateAll(item, env)]));
  }
  return value;
}

/** docker-compose (v1, Debian's package) or the `docker compose` plugin, whichever this machine has. */
function findCompose(): string[] | null {
  for (const command of [['docker-compose'], ['docker', 'compose']]) {
    const probe = spawnSync(command[0]!, [...command.slice(1), 'version'], { encoding: 'utf8', timeout: 20_000 });
    if (probe.status === 0) return command;
  }
  return null;
}

describe('compose.yaml and example.env', () => {
  const composeText = read('compose.yaml');
  const compose = obj(parse(composeText, { merge: true }));
  const services = obj(compose.services);
  const service = (name: string) => obj(services[name]);
  const envFile = readEnvFile(read('example.env'));
  const resolved = obj(interpolateAll(compose, envFile.values));
  const resolvedService = (name: string) => obj(obj(resolved.services)[name]);
  /** Variables compose.yaml reads from .env (not the `$${...}` ones, which the container expands). */
  const composeVariables = [...composeText.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);

  describe('docker compose config', () => {
    const compose = findCompose();
    // Compose reads the shell's variables before the env file: give it a clean environment.
    const run = (...args: string[]) =>
      spawnSync(compose![0]!, [...compose!.slice(1), ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
      });

    it.skipIf(!compose && !CI)('accepts compose.yaml with example.env, with and without the tracing profile', () => {
      expect(compose, 'CI=true needs docker-compose (apt-get install docker-compose)').not.toBeNull();
      const plain = run('--env-file', 'example.env', '-f', 'compose.yaml', 'config', '-q');
      expect(plain.stderr + plain.stdout).toBe('');
      expect(plain.status).toBe(0);
      const tracing = run(
        '--env-file',
        'example.env',
        '-f',
        'compose.yaml',
        '--profile',
        'tracing',
        'config',
        '--services',
      );
      expect(tracing.status).toBe(0);
      expect(tracing.stdout.split('\n').filter(Boolean).sort()).toEqual(Object.keys(services).sort());
    });

    it.skipIf(!compose && !CI)('refuses to start without the passwords', () => {
      expect(compose).not.toBeNull();
      const dir = mkdtempSync(join(tmpdir(), 'portico-compose-'));
      try {
        writeFileSync(join(dir, 'empty.env'), '');
        const bare = run('--env-file', join(dir, 'empty.env'), '-f', 'compose.yaml', 'config', '-q');
        expect(bare.status).not.toBe(0);
        expect(bare.stderr).toMatch(/POSTGRES_PASSWORD|RABBITMQ_DEFAULT_PASS|GF_SECURITY_ADMIN_PASSWORD/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('uses the current Compose specification: no `version:` key', () => {
    expect(compose).not.toHaveProperty('version');
    expect(composeText).not.toMatch(/^version:/m);
  });

  it('runs PostgreSQL 16 and RabbitMQ 3.13 with the management UI, each with a healthcheck', () => {
    expect(service('postgres').image).toBe('postgres:16');
    expect(JSON.stringify(obj(service('postgres').healthcheck).test)).toContain('pg_isready');
    expect(service('rabbitmq').image).toBe('rabbitmq:3.13-management');
    expect(JSON.stringify(obj(service('rabbitmq').healthcheck).test)).toContain('rabbitmq-diagnostics -q ping');
  });

  it('runs each role of one image, after migrate completed and the infrastructure is healthy', () => {
    const image = service('api').image;
    for (const name of PORTICO_SERVICES) {
      expect(service(name).image, name).toBe(image);
      expect(service(name).command, name).toEqual([name]);
    }
    expect(obj(service('migrate').depends_on)).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(service('migrate').restart).toBe('no');
    for (const name of ['api', 'worker', 'relay', 'projector', 'mailer']) {
      expect(obj(service(name).depends_on), name).toEqual({
        postgres: { condition: 'service_healthy' },
        rabbitmq: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
    }
    expect(service('api').ports).toEqual(['${API_HOST_PORT:-3000}:3000']);
  });

  it('lets workers scale: no container_name and no host port', () => {
    for (const name of Object.keys(services)) expect(service(name), name).not.toHaveProperty('container_name');
    expect(service('worker')).not.toHaveProperty('ports');
  });

  it('mounts the Prometheus configuration, and the Grafana provisioning and dashboards', () => {
    expect(service('prometheus').image).toMatch(/^prom\/prometheus:v\d/);
    expect(service('prometheus').volumes).toContain('./deploy/prometheus:/etc/prometheus:ro');
    expect(service('grafana').volumes).toEqual(
      expect.arrayContaining([
        './deploy/grafana/provisioning:/etc/grafana/provisioning:ro',
        './deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro',
      ]),
    );
    expect(service('jaeger').profiles).toEqual(['tracing']);
  });

  it('pins every third-party image to a version', () => {
    for (const [name, definition] of Object.entries(services)) {
      if (PORTICO_SERVICES.includes(name)) continue;
      expect(String(obj(definition).image), name).toMatch(/:[^:]+$/);
      expect(String(obj(definition).image), name).not.toMatch(/:latest$/);
    }
  });

  it('documents in example.env every variable compose.yaml reads, and every Portico variable', () => {
    expect(composeVariables.length).toBeGreaterThan(0);
    expect(composeVariables.filter((name) => !envFile.documented.has(name))).toEqual([]);
    expect([...CONFIG_NAMES].filter((name) => !envFile.documented.has(name))).toEqual([]);
  });

  it('names only Portico variables or documented infrastructure variables', () => {
    const unknown = (names: Iterable<string>) => [...names].filter((n) => !CONFIG_NAMES.has(n) && !isInfraVariable(n));
    expect(unknown(envFile.documented)).toEqual([]);
    expect(unknown(composeVariables)).toEqual([]);
    for (const [name, definition] of Object.entries(services)) {
      const keys = Object.keys(obj(obj(definition).environment));
      if (PORTICO_SERVICES.includes(name))
        expect(
          keys.filter((key) => !isPorticoVariable(key)),
          name,
        ).toEqual([]);
      else expect(unknown(keys), name).toEqual([]);
    }
  });

  it('gives every role a valid configuration that reaches postgres and rabbitmq', () => {
    for (const name of PORTICO_SERVICES) {
      const env = Object.fromEntries(
        Object.entries(obj(resolvedService(name).environment)).map(([key, value]) => [key, String(value)]),
      );
      const config = loadConfig(env);
      expect(config.host, name).toBe('0.0.0.0');
      expect(new URL(config.databaseUrl ?? '').host, name).toBe('postgres:5432');
      expect(new URL(config.amqpUrl ?? '').host, name).toBe('rabbitmq:5672');
      expect(config.adminEmail !== null, name).toBe(name === 'api');
      // One sealing key for every role (production refuses to start without it), one mail server.
      expect(config.encryptionKeys, name).toHaveLength(1);
      expect(config.smtpUrl, name).toBe('smtp://mailpit:1025');
    }
  });

  it('runs the mailer role, and a pinned mail catcher whose UI stays on this machine', () => {
    expect(service('mailpit').image).toMatch(/^axllent\/mailpit:v\d/);
    expect(service('mailpit').ports).toEqual(['127.0.0.1:${MAILPIT_UI_HOST_PORT:-8025}:8025']);
    expect(service('mailpit')).not.toHaveProperty('depends_on');
  });

  it('matches the ports Prometheus scrapes (deploy/prometheus/prometheus.yml)', () => {
    const prometheus = obj(parse(read('deploy', 'prometheus', 'prometheus.yml')));
    const job = list(prometheus.scrape_configs)[0]!;
    const targets = [
      ...list(job.static_configs).flatMap((config) => config.targets as string[]),
      ...list(job.dns_sd_configs).flatMap((config) =>
        (config.names as string[]).map((n) => `${n}:${String(config.port)}`),
      ),
    ];
    expect(targets.map((target) => target.split(':')[0]).sort()).toEqual([
      'api',
      'mailer',
      'projector',
      'relay',
      'worker',
    ]);
    for (const target of targets) {
      const [name, port] = target.split(':');
      const env = obj(resolvedService(name!).environment);
      expect(String(name === 'api' ? env.PORT : env.METRICS_PORT), target).toBe(port);
    }
  });
});

// ----------------------------------------------------------------------------------------------
// deploy/k8s
// ----------------------------------------------------------------------------------------------

interface Manifest {
  readonly file: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  readonly spec?: Json;
  readonly data?: Record<string, string>;
  readonly stringData?: Record<string, string>;
}

/** The model (schema) and the TypeScript type of each kind the manifests may use. */
const MODELS: Record<string, { model: new (data: never) => { validate(): void }; module: string; type: string }> = {
  'v1/Namespace': { model: Namespace, module: 'kubernetes-models/v1/Namespace', type: 'INamespace' },
  'v1/ConfigMap': { model: ConfigMap, module: 'kubernetes-models/v1/ConfigMap', type: 'IConfigMap' },
  'v1/Secret': { model: Secret, module: 'kubernetes-models/v1/Secret', type: 'ISecret' },
  'v1/Service': { model: Service, module: 'kubernetes-models/v1/Service', type: 'IService' },
  'apps/v1/Deployment': { model: Deployment, module: 'kubernetes-models/apps/v1/Deployment', type: 'IDeployment' },
  'batch/v1/Job': { model: Job, module: 'kubernetes-models/batch/v1/Job', type: 'IJob' },
  'policy/v1/PodDisruptionBudget': {
    model: PodDisruptionBudget,
    module: 'kubernetes-models/policy/v1/PodDisruptionBudget',
    type: 'IPodDisruptionBudget',
  },
  'autoscaling/v2/HorizontalPodAutoscaler': {
    model: HorizontalPodAutoscaler,
    module: 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
    type: 'IHorizontalPodAutoscaler',
  },
  'keda.sh/v1alpha1/ScaledObject': {
    model: ScaledObject,
    module: '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject',
    type: 'IScaledObject',
  },
  'keda.sh/v1alpha1/TriggerAuthentication': {
    model: TriggerAuthentication,
    module: '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication',
    type: 'ITriggerAuthentication',
  },
};

describe('deploy/k8s', () => {
  const kustomization = obj(parse(readFileSync(join(K8S, 'kustomization.yaml'), 'utf8')));
  const files = readdirSync(K8S).filter((file) => /\.ya?ml$/.test(file) && file !== 'kustomization.yaml');
  const manifests: Manifest[] = files.flatMap((file) =>
    parseAllDocuments(readFileSync(join(K8S, file), 'utf8')).map((document) => {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]!.message}`);
      return { file, ...(document.toJSON() as Omit<Manifest, 'file'>) };
    }),
  );
  const named = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);
  const of = (kind: string) => manifests.filter((m) => m.kind === kind);
  const podSpec = (m: Manifest) => obj(obj(obj(m.spec).template).spec);
  const containers = (m: Manifest) => list(podSpec(m).containers);
  const deployment = (component: string) => {
    const found = of('Deployment').find((m) => m.metadata.labels?.['app.kubernetes.io/component'] === component);
    if (!found) throw new Error(`no Deployment for ${component}`);
    return found;
  };
  const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
    Object.entries(selector).every(([key, value]) => labels[key] === value);
  const podLabels = (m: Manifest) => obj(obj(obj(m.spec).template).metadata).labels as Record<string, string>;
  const workloads = () => [...of('Deployment'), ...of('Job')];

  it('lists every manifest file in kustomization.yaml, and only those', () => {
    expect([...(kustomization.resources as string[])].sort()).toEqual([...files].sort());
    expect(kustomization.namespace).toBe('portico');
    expect(list(kustomization.images).map((image) => image.name)).toEqual(['portico']);
  });

  it('validates every manifest against its Kubernetes or KEDA schema', () => {
    expect(manifests.length).toBeGreaterThan(10);
    for (const manifest of manifests) {
      const { file, ...resource } = manifest;
      const entry = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
      expect(entry, `${file}: no schema for ${manifest.apiVersion} ${manifest.kind}`).toBeDefined();
      expect(
        () => new entry!.model(resource as never).validate(),
        `${file}: ${manifest.kind} ${manifest.metadata.name}`,
      ).not.toThrow();
      expect(manifest.metadata.namespace, `${file}: ${manifest.kind}`).toBe(
        manifest.kind === 'Namespace' ? undefined : 'portico',
      );
    }
  });

  it('has no unknown or misspelled field (TypeScript excess property checks against the same models)', () => {
    // The schemas allow unknown properties (Kubernetes would drop them silently); the types do not.
    const file = join(ROOT, 'test', 'deploy', '__k8s-manifests__.ts');
    const source = manifests
      .map((manifest, index) => {
        const { file: origin, ...resource } = manifest;
        const { module, type } = MODELS[`${manifest.apiVersion}/${manifest.kind}`]!;
        return `// ${origin}\nimport type { ${type} as T${index} } from '${module}';\nexport const m${index}: T${index} = ${JSON.stringify(resource)};`;
      })
      .join('\n');
    const host = ts.createCompilerHost({});
    const { readFile, fileExists } = host;
    host.readFile = (name) => (name === file ? source : readFile(name));
    host.fileExists = (name) => name === file || fileExists(name);
    const program = ts.createProgram(
      [file],
      {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        lib: ['lib.es2022.d.ts'],
        types: [],
      },
      host,
    );
    const problems = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const line =
        diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.text.slice(0, diagnostic.start) : '';
      const origin = [...line.matchAll(/^\/\/ (.+)$/gm)].at(-1)?.[1] ?? '';
      return `${origin}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
    });
    expect(problems).toEqual([]);
  });

  it('runs each role of the one image with its command, non-root, with requests and limits', () => {
    const roles = workloads().map((m) => {
      const [container, ...others] = containers(m);
      expect(others, m.metadata.name).toEqual([]);
      expect(container!.image, m.metadata.name).toBe('portico');
      const resources = obj(container!.resources);
      for (const kind of ['requests', 'limits']) {
        expect(Object.keys(obj(resources[kind])).sort(), `${m.metadata.name} ${kind}`).toEqual(['cpu', 'memory']);
      }
      expect(obj(podSpec(m).securityContext).runAsNonRoot, m.metadata.name).toBe(true);
      expect(obj(container!.securityContext).allowPrivilegeEscalation, m.metadata.name).toBe(false);
      const [role] = container!.args as string[];
      expect(ROLES).toContain(role);
      expect(m.metadata.labels?.['app.kubernetes.io/component'], m.metadata.name).toBe(role);
      return role;
    });
    expect(roles.sort()).toEqual(['api', 'mailer', 'migrate', 'projector', 'relay', 'worker']);
    expect(of('Job')[0]!.metadata.name).toBe('portico-migrate');
  });

  it('probes the api on /health (liveness) and /ready (readiness) on its PORT', () => {
    const [api] = containers(deployment('api'));
    const port = list(api!.ports).find((p) => p.name === 'http');
    expect(String(port?.containerPort)).toBe(named('ConfigMap', 'portico-config')?.data?.PORT);
    expect(obj(obj(api!.livenessProbe).httpGet)).toEqual({ path: '/health', port: 'http' });
    expect(obj(obj(api!.readinessProbe).httpGet)).toEqual({ path: '/ready', port: 'http' });
    for (const role of ['worker', 'relay', 'projector', 'mailer']) {
      const [container] = containers(deployment(role));
      const metrics = list(container!.ports).find((p) => p.name === 'metrics');
      expect(String(metrics?.containerPort), role).toBe(named('ConfigMap', 'portico-config')?.data?.METRICS_PORT);
      expect(container!.livenessProbe, role).toBeDefined();
    }
  });

  it('keeps one relay and one projector, and leaves the worker count to KEDA', () => {
    expect(obj(deployment('relay').spec).replicas).toBe(1);
    expect(obj(deployment('projector').spec).replicas).toBe(1);
    expect(obj(deployment('mailer').spec).replicas).toBe(1);
    expect(obj(deployment('worker').spec)).not.toHaveProperty('replicas');
    expect(obj(deployment('api').spec)).not.toHaveProperty('replicas');
  });

  it('points every selector, Service, PodDisruptionBudget and autoscaler at a Deployment that exists', () => {
    for (const m of of('Deployment')) {
      expect(
        matches(obj(obj(m.spec).selector).matchLabels as Record<string, string>, podLabels(m)),
        m.metadata.name,
      ).toBe(true);
    }
    const selects = (selector: Record<string, string>) =>
      of('Deployment').filter((d) => matches(selector, podLabels(d)));
    for (const m of of('Service'))
      expect(selects(obj(m.spec).selector as Record<string, string>), m.metadata.name).toHaveLength(1);
    for (const m of of('PodDisruptionBudget')) {
      expect(selects(obj(obj(m.spec).selector).matchLabels as Record<string, string>), m.metadata.name).toHaveLength(1);
    }
    expect(of('PodDisruptionBudget').length).toBeGreaterThanOrEqual(1);
    for (const m of [...of('HorizontalPodAutoscaler'), ...of('ScaledObject')]) {
      expect(named('Deployment', String(obj(obj(m.spec).scaleTargetRef).name)), m.metadata.name).toBeDefined();
    }
    const service = named('Service', 'portico-api');
    const targetPort = list(obj(service?.spec).ports)[0]?.targetPort;
    expect(list(containers(deployment('api'))[0]!.ports).map((p) => p.name)).toContain(targetPort);
  });

  it('scales the workers on the users.commands queue length with KEDA, authenticated from the secret', () => {
    const [scaledObject] = of('ScaledObject');
    const spec = obj(scaledObject?.spec);
    expect(obj(spec.scaleTargetRef).name).toBe(deployment('worker').metadata.name);
    const [trigger, ...others] = list(spec.triggers);
    expect(others).toEqual([]);
    expect(trigger!.type).toBe('rabbitmq');
    expect(obj(trigger!.metadata)).toMatchObject({
      queueName: 'users.commands',
      mode: 'QueueLength',
      protocol: 'amqp',
    });
    const auth = named('TriggerAuthentication', String(obj(trigger!.authenticationRef).name));
    expect(auth).toBeDefined();
    for (const ref of list(obj(auth!.spec).secretTargetRef)) {
      expect(named('Secret', String(ref.name))?.stringData, `${String(ref.name)}.${String(ref.key)}`).toHaveProperty(
        String(ref.key),
      );
    }
    expect(list(obj(auth!.spec).secretTargetRef).map((ref) => ref.parameter)).toEqual(['host']);
  });

  it('names only Portico variables, from a ConfigMap and Secrets that exist, forming a valid configuration', () => {
    const variables = [
      ...of('ConfigMap').flatMap((m) => Object.keys(m.data ?? {})),
      ...of('Secret').flatMap((m) => Object.keys({ ...m.data, ...m.stringData })),
      ...workloads().flatMap((m) => containers(m).flatMap((c) => list(c.env).map((e) => String(e.name)))),
    ];
    expect(variables.filter((name) => !isPorticoVariable(name))).toEqual([]);
    for (const m of workloads()) {
      for (const source of containers(m).flatMap((c) => list(c.envFrom))) {
        const ref = obj(source.configMapRef ?? source.secretRef);
        const kind = source.configMapRef ? 'ConfigMap' : 'Secret';
        expect(named(kind, String(ref.name)), `${m.metadata.name}: ${kind} ${String(ref.name)}`).toBeDefined();
      }
    }
    const env = Object.fromEntries([
      ...of('ConfigMap').flatMap((m) => Object.entries(m.data ?? {})),
      ...of('Secret').flatMap((m) => Object.entries(m.stringData ?? {})),
    ]);
    const config = loadConfig(env);
    expect(config.host).toBe('0.0.0.0');
    expect(config.databaseUrl).not.toBeNull();
    expect(config.amqpUrl).not.toBeNull();
    expect(config.nodeEnv).toBe('production');
    expect(config.encryptionKeys).toHaveLength(1);
    expect(config.smtpUrl).not.toBeNull();
  });

  it('gives the admin secret to the api only', () => {
    for (const m of workloads()) {
      const names = containers(m).flatMap((c) => list(c.envFrom).map((s) => obj(s.secretRef).name));
      expect(names.includes('portico-admin'), m.metadata.name).toBe(m.metadata.name === 'portico-api');
    }
  });
});
