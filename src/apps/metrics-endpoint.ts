import { startMetricsServer } from '../platform/observability/metrics/metrics-server.js';
import type { Runtime } from './runtime.js';

type Stoppable = { stop(): Promise<void> };

export interface WithMetrics extends Stoppable {
  /** Where Prometheus scrapes this role. */
  readonly metricsUrl: string;
}

/**
 * A role run alone without the API (worker, relay, projector) still needs a /metrics for
 * Prometheus: it gets a small one on METRICS_PORT, closed after the role has stopped.
 */
export async function withMetricsEndpoint(runtime: Runtime, role: Stoppable): Promise<WithMetrics> {
  const { config, logger, metrics } = runtime;
  let server;
  try {
    server = await startMetricsServer(metrics, config.metricsPort, config.host);
  } catch (error) {
    await role.stop();
    throw error;
  }
  logger.info({ metrics: server.url }, 'metrics endpoint listening');
  return {
    metricsUrl: server.url,
    stop: async () => {
      await role.stop();
      await server.close();
    },
  };
}
