import { Secret, TOTP } from 'otpauth';
import type { TotpAlgorithm } from '../../application/mfa-ports.js';

const PERIOD_SECONDS = 30;

/**
 * RFC 6238 through the `otpauth` package: SHA-1, 6 digits, 30 s steps, what every authenticator
 * app expects. Codes of the step before and after now are accepted too (clocks drift, people type
 * slowly); which step matched is returned so the caller can refuse it the second time.
 */
export class OtpauthTotp implements TotpAlgorithm {
  constructor(private readonly issuer: string) {}

  newSecret(): string {
    // 160 bits, the HMAC-SHA-1 key size RFC 4226 recommends.
    return new Secret({ size: 20 }).base32;
  }

  uri(secret: string, accountName: string): string {
    return this.totp(secret, accountName).toString();
  }

  matchingStep(secret: string, code: string, now: Date): number | null {
    if (!/^\d{6}$/.test(code)) return null;
    const delta = this.totp(secret).validate({ token: code, timestamp: now.getTime(), window: 1 });
    if (delta === null) return null;
    return Math.floor(now.getTime() / 1000 / PERIOD_SECONDS) + delta;
  }

  private totp(secret: string, label = ''): TOTP {
    return new TOTP({
      issuer: this.issuer,
      label,
      algorithm: 'SHA1',
      digits: 6,
      period: PERIOD_SECONDS,
      secret: Secret.fromBase32(secret),
    });
  }
}
