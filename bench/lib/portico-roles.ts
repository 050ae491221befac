import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startPortico, type PorticoProcess, type StartOptions } from './portico.js';

/**
 * Portico deployed as DESIGN.md describes for PostgreSQL + RabbitMQ: `portico migrate`, then the
 * API, worker, relay and projector each in a process of its own, as one `PorticoProcess` whose
 * metrics are every role's. The mailer is left out: no mail is on the measured path.
 */

const PORTICO_BIN = fileURLToPath(new URL('../../bin/portico.js', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const PIPELINE_ROLES = ['worker', 'relay', 'projector'] as const;

export async function startRoles(options: StartOptions): Promise<PorticoProcess> {
  await promisify(execFile)(process.execPath, [PORTICO_BIN, 'migrate'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env, LOG_LEVEL: 'warn' },
  });
  const started: PorticoProcess[] = [];
  const stopAll = async () => {
    // Stop taking requests first, then the consumers, the relay last (it publishes what they committed).
    for (const process of [...started].sort((a, b) => order(a) - order(b))) await process.stop();
  };
  try {
    started.push(await startPortico({ ...options, role: 'api', label: `${options.label}-api` }));
    const others = await Promise.all(
      PIPELINE_ROLES.map((role) => startPortico({ ...options, role, label: `${options.label}-${role}` })),
    );
    started.push(...others);
  } catch (error) {
    await stopAll();
    throw error;
  }
  const api = started[0]!;
  return {
    label: options.label,
    pid: api.pid,
    url: api.url,
    logFile: api.logFile,
    roles: started.flatMap((p) => p.roles),
    metricsUrls: started.flatMap((p) => p.metricsUrls),
    stop: stopAll,
  };
}

const STOP_ORDER = ['api', 'worker', 'projector', 'relay'];
const order = (process: PorticoProcess) => STOP_ORDER.indexOf(process.roles[0]!.role);
