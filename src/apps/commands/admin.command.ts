import type { Command } from 'commander';
import pino from 'pino';
import { DomainError } from '../../shared/domain/domain-error.js';
import { ConfigError, loadConfig } from '../config/config.js';
import { bootstrapAdmin } from '../admin.js';
import { checkBrokerAnswers } from '../preflight.js';
import { createRuntime } from '../runtime.js';

/** `portico admin create`: the first administrator, before anyone can log in to make one. */
export function registerAdminCommand(program: Command): void {
  program
    .command('admin')
    .description('manage administrators')
    .command('create')
    .description('create an administrator (password from PORTICO_ADMIN_PASSWORD, or the first line of stdin)')
    .requiredOption('--email <email>', 'the administrator’s email')
    .option('--username <username>', 'defaults to the email’s local part')
    .action(async (options: { email: string; username?: string }) => {
      const config = loadOrExit();
      const password = process.env.PORTICO_ADMIN_PASSWORD || (await readFirstLine());
      if (!password) fail('no password: set PORTICO_ADMIN_PASSWORD or pipe it on stdin');
      if (config.amqpUrl) await checkBrokerAnswers(config.amqpUrl);
      const runtime = await createRuntime(config, pino({ level: 'warn' }), { migrate: true });
      try {
        const id = await bootstrapAdmin(runtime, {
          email: options.email,
          password,
          ...(options.username && { username: options.username }),
        });
        process.stdout.write(`administrator ${options.email} created (id ${id})\n`);
      } catch (error) {
        if (error instanceof DomainError) fail(`${error.code}: ${error.message}`);
        throw error;
      } finally {
        await runtime.close();
      }
    });
}

function loadOrExit() {
  try {
    // The password variable here feeds this command, not the start-up bootstrap it pairs with there.
    return loadConfig({ ...process.env, PORTICO_ADMIN_PASSWORD: undefined });
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

function fail(message: string): never {
  process.stderr.write(`portico: ${message}\n`);
  process.exit(2);
}

async function readFirstLine(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('password: ');
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}
