import { startApi } from './api.js';
import { startProjector } from './projector.js';
import { startSessionRevoker } from './session-revoker.js';
import { startRelay } from './relay.js';
import type { Runtime } from './runtime.js';
import { startWorker } from './worker.js';

export interface RunningService {
  readonly url: string;
  stop(): Promise<void>;
}

/** Every role in one process (embedded mode): the shape `npm start` runs. */
export async function startAll(runtime: Runtime): Promise<RunningService> {
  // The port first: if it is taken, fail before this process starts consuming anything.
  const api = await startApi(runtime);
  const relay = await startRelay(runtime);
  const worker = await startWorker(runtime, () => relay.nudge());
  const projector = await startProjector(runtime);
  const sessionRevoker = await startSessionRevoker(runtime);
  return {
    url: api.url,
    // Stop taking work first, finish what is in flight, then close what it needed.
    stop: async () => {
      await api.stop();
      await worker.stop();
      await relay.stop();
      await projector.stop();
      await sessionRevoker.stop();
    },
  };
}
