import { execFile } from 'node:child_process';
import { PORTICO_BIN } from '../../support/service-process.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `portico <args>` as an operator would, bounded in time; never throws on a non-zero exit. */
export function portico(args: readonly string[], env: Record<string, string>, timeoutMs = 60_000): Promise<CliResult> {
  const base = { ...process.env };
  for (const name of ['DATABASE_URL', 'AMQP_URL', 'DATA_DIR', 'NODE_OPTIONS']) delete base[name];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [PORTICO_BIN, ...args],
      { env: { ...base, LOG_LEVEL: 'warn', ...env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
