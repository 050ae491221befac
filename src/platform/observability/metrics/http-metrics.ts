import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { ProblemCatalogue } from '../../http/problem.js';
import { answer } from '../../http/schemas.js';
import type { Metrics } from './metrics.js';

export const METRICS_PATH = '/metrics';

/**
 * Request count, latency and concurrency for every route, labelled with the route template
 * (`/api/v1/users/:id`) so a path full of ids does not become a series per user. Scrapes of
 * /metrics are left out: they would otherwise be most of the traffic on a quiet service.
 */
export function registerHttpMetrics(app: FastifyInstance, metrics: Metrics, problems: ProblemCatalogue): void {
  // Callback hooks, not async ones: these run on every request, and a promise per hook adds up.
  app.addHook('onRequest', (request, reply, done) => {
    if (request.routeOptions.url !== METRICS_PATH) {
      metrics.httpInProgress.inc();
      // `close` also fires when the client goes away mid-answer, where `onResponse` would not.
      reply.raw.once('close', () => metrics.httpInProgress.dec());
    }
    done();
  });

  app.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.statusCode >= 400 && typeof payload === 'string') {
      const type = reply.getHeader('content-type');
      if (typeof type === 'string' && type.startsWith('application/problem+json')) {
        metrics.errors.inc({ component: 'http', code: problemCode(payload, problems) });
      }
    }
    done(null, payload);
  });

  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url;
    if (route !== METRICS_PATH) {
      const labels = { method: request.method, route: route ?? 'unmatched', status_code: String(reply.statusCode) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    }
    done();
  });
}

/** Registered after the OpenAPI plugin, so the route shows up in /docs with /health and /ready. */
export function registerMetricsRoute(app: FastifyInstance, metrics: Metrics): void {
  app.get(
    METRICS_PATH,
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics (text exposition format)',
        security: [],
        response: { 200: answer('text/plain', 'Every metric, in the Prometheus text format 0.0.4', Type.String()) },
      },
    },
    async (_request, reply) => reply.type(metrics.contentType).send(await metrics.render()),
  );
}

/** Codes outside the catalogue are folded into one value, so a label never grows without bound. */
function problemCode(payload: string, problems: ProblemCatalogue): string {
  try {
    const code = (JSON.parse(payload) as { code?: unknown }).code;
    return typeof code === 'string' && problems.has(code) ? code : 'other';
  } catch {
    return 'other';
  }
}
