import type { CommandMiddleware } from '../shared/application/command-bus.js';
import type { QueryMiddleware } from '../shared/application/query-bus.js';
import { DomainError } from '../shared/domain/domain-error.js';
import type { Logger } from '../platform/logging/logger.js';

/** Logs every command once, with its outcome and duration, instead of each handler doing it. */
export function loggedCommands(logger: Logger): CommandMiddleware {
  return async (command, next) => {
    const started = performance.now();
    try {
      const result = await next(command);
      logger.debug({ command: command.type, ms: Math.round(performance.now() - started) }, 'command handled');
      return result;
    } catch (error) {
      const outcome = error instanceof DomainError ? error.code : 'error';
      logger.debug(
        { command: command.type, outcome, err: error, ms: Math.round(performance.now() - started) },
        'command refused',
      );
      throw error;
    }
  };
}

export function timedQueries(logger: Logger): QueryMiddleware {
  return async (query, next) => {
    const started = performance.now();
    const result = await next(query);
    logger.trace({ query: query.type, ms: Math.round(performance.now() - started) }, 'query answered');
    return result;
  };
}
