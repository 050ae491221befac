import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AMQP_URL } from '../../support/rabbitmq.js';

const run = promisify(execFile);

/**
 * A virtual host of its own on the machine's broker: the role processes use the production queue
 * names (no test prefix exists in configuration), so isolation comes from the vhost.
 */
export async function createVhost(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `portico-fault-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const base = new URL(AMQP_URL);
  const user = decodeURIComponent(base.username || 'guest');
  await run('rabbitmqctl', ['add_vhost', name], { timeout: 30_000 });
  await run('rabbitmqctl', ['set_permissions', '-p', name, user, '.*', '.*', '.*'], { timeout: 30_000 });
  base.pathname = `/${encodeURIComponent(name)}`;
  return {
    url: base.toString(),
    drop: async () => {
      await run('rabbitmqctl', ['delete_vhost', name], { timeout: 30_000 }).catch(() => undefined);
    },
  };
}
