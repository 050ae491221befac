import { DomainError } from '../../../shared/domain/domain-error.js';
import { counter, MetricSet } from '../../../platform/observability/metrics/metric-set.js';

/** The auth context's own metrics (declared in its manifest). */
export const authMetrics = new MetricSet({
  /** Logins and refreshes: `success`, `refreshed`, `mfa_required`, or the refusal's code (`rate_limited` = lockout or limit). */
  attempts: counter('auth_attempts_total', 'Sign-in attempts (login, refresh), by outcome', ['status']),
  tokensIssued: counter('jwt_tokens_issued_total', 'Access tokens signed', []),
  /** `pwd`, `pwd+otp`, `hwk` (a passkey): how the completed sign-ins authenticated (the tokens' `amr`). */
  logins: counter('auth_logins_total', 'Completed sign-ins (a new session), by authentication methods', ['amr']),
  /** `required` (a password opened a challenge), `passed`, `failed` (a wrong code), `rate_limited`. */
  mfaChallenges: counter('auth_mfa_challenges_total', 'Second-factor steps of sign-ins, by outcome', ['outcome']),
});

type AuthMetrics = ReturnType<typeof authMetrics.in>;

interface Handler<I, O> {
  handle(input: I): Promise<O>;
}

/** What a sign-in handler's answer says for the metrics: the outcome, and how it authenticated if it did. */
type Outcome<O> = (result: O) => { status: string; amr?: readonly string[]; challenge?: string };

/** Counts a sign-in handler's outcomes and the access tokens it issued, around the handler. */
export function meteredSignIn<I, O>(
  handler: Handler<I, O>,
  metrics: AuthMetrics,
  outcome: Outcome<O>,
  challengeStep = false,
): Handler<I, O> {
  return {
    handle: async (input) => {
      try {
        const result = await handler.handle(input);
        const { status, amr, challenge } = outcome(result);
        metrics.attempts.inc({ status });
        if (amr) metrics.logins.inc({ amr: amr.join('+') });
        if (challenge) metrics.mfaChallenges.inc({ outcome: challenge });
        if (status !== 'mfa_required') metrics.tokensIssued.inc();
        return result;
      } catch (error) {
        const code = error instanceof DomainError ? error.code : 'error';
        metrics.attempts.inc({ status: code });
        if (challengeStep) metrics.mfaChallenges.inc({ outcome: code === 'mfa_code_invalid' ? 'failed' : code });
        throw error;
      }
    },
  };
}
