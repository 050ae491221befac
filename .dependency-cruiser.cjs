/**
 * The layer rules of DESIGN.md §3, checked on every `npm run lint`.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain/ imports only its own domain/ and shared/domain/: no framework, no I/O',
      severity: 'error',
      from: { path: '^src/contexts/([^/]+)/domain/' },
      to: { pathNot: ['^src/contexts/$1/domain/', '^src/shared/domain/'] },
    },
    {
      name: 'shared-domain-is-pure',
      severity: 'error',
      from: { path: '^src/shared/domain/' },
      to: { pathNot: '^src/shared/domain/' },
    },
    {
      name: 'application-sees-domain-and-ports-only',
      comment:
        'application/ imports its domain, shared domain and shared application (ports), never infrastructure or packages; ' +
        'typebox is the one exception: a command type is derived from its wire schema, so it is written once',
      severity: 'error',
      from: { path: '^src/contexts/([^/]+)/application/' },
      to: {
        pathNot: ['^src/contexts/$1/(domain|application)/', '^src/shared/(domain|application)/', 'node_modules/typebox/'],
      },
    },
    {
      name: 'shared-application-is-framework-free',
      severity: 'error',
      from: { path: '^src/shared/application/' },
      to: { pathNot: ['^src/shared/(domain|application)/'] },
    },
    {
      name: 'shared-is-the-kernel-only',
      comment: 'src/shared holds the kernel (aggregate, event, error, ports) and imports nothing outside it',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^src/', pathNot: '^src/shared/' },
    },
    {
      name: 'platform-knows-no-context',
      comment:
        'src/platform is the machinery every context runs on: it never imports a context or an app; contexts declare themselves in their manifest',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/(contexts|apps)/' },
    },
    {
      name: 'contexts-do-not-reach-into-each-other',
      comment: 'contexts talk through events and ports, never through each other’s internals',
      severity: 'error',
      from: { path: '^src/contexts/([^/]+)/' },
      to: { path: '^src/contexts/', pathNot: '^src/contexts/$1/' },
    },
    {
      name: 'only-apps-wire-everything',
      comment: 'composition roots live in src/apps; nothing else imports them',
      severity: 'error',
      from: { pathNot: '^src/apps/' },
      to: { path: '^src/apps/' },
    },
    {
      name: 'opentelemetry-api-only-in-tracing',
      comment:
        'spans, propagation and trace ids go through src/platform/observability/tracing; the rest of the code asks it (DESIGN.md §3)',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/platform/observability/tracing/' },
      to: { path: 'node_modules/@opentelemetry/' },
    },
    {
      name: 'opentelemetry-sdk-only-in-sdk-module',
      comment:
        'the SDK, exporter and @fastify/otel load only through tracing/sdk.ts, which the composition roots import only when tracing is configured',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/platform/observability/tracing/sdk\\.ts$' },
      to: {
        path: [
          'node_modules/@opentelemetry/(sdk-|exporter-|resources|core|semantic-conventions)',
          'node_modules/@fastify/otel',
        ],
      },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    exclude: { path: '^(test|bench|dist)/' },
  },
};
