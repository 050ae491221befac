import { DomainError } from '../../../shared/domain/domain-error.js';
import { counter, MetricSet } from '../../../platform/observability/metrics/metric-set.js';

/** The auth context's own metrics (declared in its manifest). */
export const authMetrics = new MetricSet({
  /** Logins and refreshes: `success`, `refreshed`, or the refusal's code (`rate_limited` = lockout or limit). */
  attempts: counter('auth_attempts_total', 'Sign-in attempts (login, refresh), by outcome', ['status']),
  tokensIssued: counter('jwt_tokens_issued_total', 'Access tokens signed', []),
});

type AuthMetrics = ReturnType<typeof authMetrics.in>;

interface Handler<I, O> {
  handle(input: I): Promise<O>;
}

/** Counts a sign-in handler's outcomes and the access tokens it issued, around the handler. */
export function meteredSignIn<I, O>(handler: Handler<I, O>, metrics: AuthMetrics, success: string): Handler<I, O> {
  return {
    handle: async (input) => {
      try {
        const result = await handler.handle(input);
        metrics.attempts.inc({ status: success });
        metrics.tokensIssued.inc();
        return result;
      } catch (error) {
        metrics.attempts.inc({ status: error instanceof DomainError ? error.code : 'error' });
        throw error;
      }
    },
  };
}
