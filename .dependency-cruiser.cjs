/**
 * The layer rules of DESIGN.md §3, checked on every `npm run lint`.
 * @type {import('dependency-cruiser').IConfiguration}
 */
/** A rule: code under `from` may import only what `allowed` matches (or, with `to`, never `to`). */
const rule = (name, comment, from, to) => ({ name, comment, severity: 'error', from, to });
const onlyImports = (name, comment, fromPath, allowed) => rule(name, comment, { path: fromPath }, { pathNot: allowed });

module.exports = {
  forbidden: [
    onlyImports('domain-is-pure', 'domain/ imports only its own domain/ and shared/domain/: no framework, no I/O',
      '^src/contexts/([^/]+)/domain/', ['^src/contexts/$1/domain/', '^src/shared/domain/']),
    onlyImports('shared-domain-is-pure', 'the kernel domain imports nothing else', '^src/shared/domain/', '^src/shared/domain/'),
    onlyImports('application-sees-domain-and-ports-only',
      'application/ imports its domain, shared domain and shared application (ports), never infrastructure or packages; ' +
        'typebox is the one exception: a command type is derived from its wire schema, so it is written once',
      '^src/contexts/([^/]+)/application/',
      ['^src/contexts/$1/(domain|application)/', '^src/shared/(domain|application)/', 'node_modules/typebox/']),
    onlyImports('shared-application-is-framework-free', 'the buses and ports need no framework',
      '^src/shared/application/', ['^src/shared/(domain|application)/']),
    rule('shared-is-the-kernel-only',
      'src/shared holds the kernel (aggregate, event, error, ports) and imports nothing outside it',
      { path: '^src/shared/' }, { path: '^src/', pathNot: '^src/shared/' }),
    rule('platform-knows-no-context',
      'src/platform is the machinery every context runs on: it never imports a context or an app; contexts declare themselves in their manifest',
      { path: '^src/platform/' }, { path: '^src/(contexts|apps)/' }),
    rule('contexts-do-not-reach-into-each-other', 'contexts talk through events and ports, never through each other’s internals',
      { path: '^src/contexts/([^/]+)/' }, { path: '^src/contexts/', pathNot: '^src/contexts/$1/' }),
    rule('only-apps-wire-everything', 'composition roots live in src/apps; nothing else imports them',
      { pathNot: '^src/apps/' }, { path: '^src/apps/' }),
    rule('opentelemetry-api-only-in-tracing',
      'spans, propagation and trace ids go through src/platform/observability/tracing; the rest of the code asks it (DESIGN.md §3)',
      { path: '^src/', pathNot: '^src/platform/observability/tracing/' }, { path: 'node_modules/@opentelemetry/' }),
    rule('opentelemetry-sdk-only-in-sdk-module',
      'the SDK, exporter and @fastify/otel load only through tracing/sdk.ts, which the composition roots import only when tracing is configured',
      { path: '^src/', pathNot: '^src/platform/observability/tracing/sdk\\.ts$' },
      { path: ['node_modules/@opentelemetry/(sdk-|exporter-|resources|core|semantic-conventions)', 'node_modules/@fastify/otel'] }),
    rule('no-circular', 'a cycle means two modules are one', {}, { circular: true }),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    exclude: { path: '^(test|bench|dist)/' },
  },
};
