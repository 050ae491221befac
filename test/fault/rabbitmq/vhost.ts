import { addVhost } from '../../../bench/lib/infra.js';
import { AMQP_URL } from '../../support/rabbitmq.js';

/**
 * A virtual host of its own on the machine's broker: the role processes use the production queue
 * names (no test prefix exists in configuration), so isolation comes from the vhost.
 */
export function createVhost(): Promise<{ url: string; drop: () => Promise<void> }> {
  return addVhost(AMQP_URL, `portico-fault-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`);
}
