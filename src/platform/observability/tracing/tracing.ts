import type { Tracer } from '@opentelemetry/api';
import type { FastifyPluginCallback } from 'fastify';

/**
 * Tracing as the composition roots hand it to the runtime: present only when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is set (or a test brings an exporter). Absent, no SDK is loaded
 * and nothing is wrapped, so tracing off costs nothing.
 */
export interface Tracing {
  /** Messaging and SQL spans. */
  readonly tracer: Tracer;
  /** The Fastify plugin that opens each request's SERVER span; registered before any route. */
  readonly httpPlugin: FastifyPluginCallback;
  /** Exports the spans still buffered and unregisters the global provider. */
  shutdown(): Promise<void>;
}
