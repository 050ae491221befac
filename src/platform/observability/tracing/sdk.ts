import { FastifyOtelInstrumentation } from '@fastify/otel';
import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { FastifyPluginCallback } from 'fastify';
import type { Tracing } from './tracing.js';

export interface TracingOptions {
  /** `service.name` of every span (OTEL_SERVICE_NAME). */
  readonly serviceName: string;
  /** Which role this process runs (`start`, `api`, `worker`, …): the `portico.role` resource attribute. */
  readonly role: string;
  /** OTLP/HTTP collector base URL (OTEL_EXPORTER_OTLP_ENDPOINT); spans go to `<endpoint>/v1/traces`. */
  readonly endpoint?: string;
  /** Instead of OTLP (tests): each span is handed to this exporter as soon as it ends. */
  readonly exporter?: SpanExporter;
}

/**
 * The OpenTelemetry SDK for this process: a Node tracer provider (AsyncLocalStorage context)
 * registered globally with the W3C trace-context propagator, exporting in batches over OTLP/HTTP.
 * Only the composition roots load this module, and only when tracing is configured.
 */
export function startTracing(options: TracingOptions): Tracing {
  if (!options.exporter && !options.endpoint) throw new Error('tracing needs an OTLP endpoint or an exporter');
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter({ url: `${options.endpoint!.replace(/\/+$/, '')}/v1/traces` }));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName, 'portico.role': options.role }),
    spanProcessors: [processor],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });

  // @fastify/otel is a plain Fastify plugin: no require hook, so it works under ESM. It opens the
  // request's SERVER span, continuing an incoming `traceparent`; its per-hook and handler spans are
  // left out as noise, so SQL and the command's publish hang right under the request.
  const http = new FastifyOtelInstrumentation({
    instrumentHooks: false,
    instrumentHandler: false,
    requestHook: (span, request) => {
      // The route template, never the raw path: ids in span names would make every name unique.
      const route = request.routeOptions.url;
      span.updateName(route ? `${request.method} ${route}` : request.method);
      span.setAttribute('portico.request_id', request.id);
    },
  });
  http.setTracerProvider(provider);

  return {
    tracer: provider.getTracer('portico'),
    httpPlugin: http.plugin() as unknown as FastifyPluginCallback,
    shutdown: async () => {
      http.disable();
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
