import { startApi } from './api.js';
import { startConsumers } from './consumers.js';
import { startRelay } from './relay.js';
import type { Runtime } from './runtime.js';

export interface RunningService {
  readonly url: string;
  stop(): Promise<void>;
}

/** Every role in one process (embedded mode): the shape `npm start` runs. */
export async function startAll(runtime: Runtime): Promise<RunningService> {
  // The port first: if it is taken, fail before this process starts consuming anything.
  const api = await startApi(runtime);
  const relay = await startRelay(runtime);
  const consumers = await startConsumers(runtime, { commands: true, events: true, onCommitted: () => relay.nudge() });
  return {
    url: api.url,
    // Stop taking work first, finish what is in flight, then close what it needed.
    stop: async () => {
      await api.stop();
      await consumers.stop();
      await relay.stop();
    },
  };
}
