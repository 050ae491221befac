import { DomainError } from '../../../shared/domain/domain-error.js';

/** One answer for every login failure, so the response reveals nothing about accounts. */
export class InvalidCredentialsError extends DomainError {
  constructor() {
    super('invalid_credentials', 'the email or password is wrong');
  }
}

export class RefreshTokenInvalidError extends DomainError {
  constructor() {
    super('refresh_token_invalid', 'the refresh token is not valid');
  }
}

export class RefreshTokenReusedError extends DomainError {
  constructor() {
    super('refresh_token_reused', 'the refresh token was already used; the session has been revoked');
  }
}

/** A session that is not the caller's, or no longer live, is reported as absent: ids cannot be probed. */
export class SessionNotFoundError extends DomainError {
  constructor(sessionId: string) {
    super('not_found', `session ${sessionId} was not found`);
  }
}

/** REQUIRE_EMAIL_VERIFICATION: the password was right, the address is not confirmed yet. */
export class EmailNotVerifiedError extends DomainError {
  constructor() {
    super('email_not_verified', 'confirm your email address first: open the link of the verification mail');
  }
}

export { RateLimitedError } from '../../../shared/domain/rate-limited-error.js';

/** A route that changes how the account signs in wants a sign-in of the last few minutes. */
export class ReauthenticationRequiredError extends DomainError {
  constructor() {
    super('reauthentication_required', 'this needs a recent sign-in: log in again, then retry within 5 minutes');
  }
}

/** A wrong, replayed or spent second-factor code, or an `mfaToken` that is no longer open. */
export class MfaCodeInvalidError extends DomainError {
  constructor(detail = 'the code is not valid') {
    super('mfa_code_invalid', detail);
  }
}

export class MfaAlreadyEnabledError extends DomainError {
  constructor() {
    super('mfa_already_enabled', 'a TOTP factor is already enabled: remove it first to enrol another');
  }
}

export class MfaNotEnabledError extends DomainError {
  constructor() {
    super('mfa_not_enabled', 'no second factor is enabled: enrol TOTP first');
  }
}

/** A passkey registration whose response does not verify (wrong challenge, origin, RP ID, signature). */
export class PasskeyRegistrationFailedError extends DomainError {
  constructor(detail = 'the passkey registration did not verify: ask for new options and try again') {
    super('passkey_registration_failed', detail);
  }
}

/** A passkey sign-in refused: unknown credential, spent or expired challenge, bad signature, counter. */
export class PasskeyAuthenticationFailedError extends DomainError {
  constructor(detail = 'the passkey did not verify: ask for new options and try again') {
    super('passkey_invalid', detail);
  }
}

export class PasskeyNotFoundError extends DomainError {
  constructor(id: string) {
    super('not_found', `passkey ${id} was not found`);
  }
}
