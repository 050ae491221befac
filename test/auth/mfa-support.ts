import { Secret, TOTP } from 'otpauth';

/** The code an authenticator app shows for `secret`, `offsetSteps` 30 s steps from now. */
export function totpCode(secret: string, offsetSteps = 0, now = Date.now()): string {
  const totp = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });
  return totp.generate({ timestamp: now + offsetSteps * 30_000 });
}

export interface Enrolment {
  secret: string;
  otpauthUri: string;
}

export interface MfaChallengeBody {
  mfaRequired: true;
  mfaToken: string;
  methods: string[];
}
