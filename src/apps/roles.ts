import { startAll } from './all.js';
import { startApi } from './api.js';
import { startConsumers } from './consumers.js';
import { withMetricsEndpoint } from './metrics-endpoint.js';
import type { RoleName } from './preflight.js';
import { startRelay } from './relay.js';
import type { Runtime } from './runtime.js';
import type { ConsumerEntry } from '../platform/context/context-catalogue.js';

export { createRuntime } from './runtime.js';

/** A role once started: where it answers (what the ready line says), and how it stops. */
export interface StartedRole {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * What each role starts on a runtime. The CLI imports this module (the whole application) only
 * once it has checked the configuration, and while the database opens.
 */
export const ROLES: Readonly<Record<RoleName, (runtime: Runtime) => Promise<StartedRole>>> = {
  start: startAll,
  api: startApi,
  worker: async (rt) => metricsOnly(rt, await startConsumers(rt, { commands: true, events: false })),
  relay: async (rt) => metricsOnly(rt, await startRelay(rt)),
  projector: async (rt) =>
    metricsOnly(rt, await startConsumers(rt, { commands: false, events: true, select: (e) => !isMail(e) })),
  mailer: async (rt) => metricsOnly(rt, await startConsumers(rt, { commands: false, events: true, select: isMail })),
};

/** The mail context's consumer: SMTP conversations, scaled and restarted apart from the projections. */
const isMail = (entry: ConsumerEntry) => entry.context.name === 'mail';

async function metricsOnly(runtime: Runtime, role: { stop(): Promise<void> }): Promise<StartedRole> {
  const withMetrics = await withMetricsEndpoint(runtime, role);
  return { url: withMetrics.metricsUrl, stop: () => withMetrics.stop() };
}
