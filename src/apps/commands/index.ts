import type { Command } from 'commander';
import { registerAdminCommand } from './admin.command.js';
import { registerClientsCommand } from './clients.command.js';
import { registerDlqCommand } from './dlq.command.js';
import { registerKeysCommand } from './keys.command.js';
import { registerProjectionsCommand } from './projections.command.js';

/** Operator commands (one module each); cli.ts registers them with one call. */
export function registerOperatorCommands(program: Command): void {
  registerDlqCommand(program);
  registerProjectionsCommand(program);
  registerAdminCommand(program);
  registerKeysCommand(program);
  registerClientsCommand(program);
}
