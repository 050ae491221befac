import { DomainError } from '../shared/domain/domain-error.js';
import type { Metrics } from '../platform/observability/metrics/metrics.js';

interface Handler<I, O> {
  handle(input: I): Promise<O>;
}

/**
 * Counts a sign-in handler's outcomes (`auth_attempts_total`) and the access tokens it issued
 * (`jwt_tokens_issued_total`), around the handler rather than inside it.
 */
export function meteredSignIn<I, O>(handler: Handler<I, O>, metrics: Metrics, success: string): Handler<I, O> {
  return {
    handle: async (input) => {
      try {
        const result = await handler.handle(input);
        metrics.authAttempts.inc({ status: success });
        metrics.tokensIssued.inc();
        return result;
      } catch (error) {
        metrics.authAttempts.inc({ status: error instanceof DomainError ? error.code : 'error' });
        throw error;
      }
    },
  };
}
