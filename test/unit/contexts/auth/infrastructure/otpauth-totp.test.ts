import { describe, expect, it } from 'vitest';
import { CryptoRecoveryCodes } from '../../../../../src/contexts/auth/infrastructure/tokens/crypto-recovery-codes.js';
import { OtpauthTotp } from '../../../../../src/contexts/auth/infrastructure/tokens/otpauth-totp.js';
import { codeAt } from '../../../../support/in-memory/mfa-fixture.js';

const totp = new OtpauthTotp('Portico');
// The start of a 30 s step, so that ±15 s stays inside it.
const NOW = new Date(Math.floor(Date.parse('2026-03-01T12:00:00Z') / 30_000) * 30_000 + 15_000);
const STEP = Math.floor(NOW.getTime() / 30_000);
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

describe('OtpauthTotp (RFC 6238: SHA-1, 6 digits, 30 s, ±1 step)', () => {
  const secret = totp.newSecret();

  it('makes 160-bit base32 secrets and an otpauth URI for apps', () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(totp.uri(secret, 'ada@example.com')).toBe(
      `otpauth://totp/Portico:ada%40example.com?issuer=Portico&secret=${secret}&algorithm=SHA1&digits=6&period=30`,
    );
  });

  it('matches the RFC 6238 test vector (SHA-1, T = 59 s → 94287082, 6 digits: 287082)', () => {
    const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // "12345678901234567890"
    expect(totp.matchingStep(rfcSecret, '287082', new Date(59_000))).toBe(1);
  });

  it('answers the step of a code of now, of the step before and of the step after', () => {
    expect(totp.matchingStep(secret, codeAt(secret, NOW), NOW)).toBe(STEP);
    expect(totp.matchingStep(secret, codeAt(secret, at(-30)), NOW)).toBe(STEP - 1);
    expect(totp.matchingStep(secret, codeAt(secret, at(30)), NOW)).toBe(STEP + 1);
  });

  it('refuses codes two steps away, wrong codes and anything but 6 digits', () => {
    expect(totp.matchingStep(secret, codeAt(secret, at(-60)), NOW)).toBeNull();
    expect(totp.matchingStep(secret, codeAt(secret, at(60)), NOW)).toBeNull();
    const wrong = String((Number(codeAt(secret, NOW)) + 1) % 1_000_000).padStart(6, '0');
    expect(totp.matchingStep(secret, wrong, NOW)).toBeNull();
    expect(totp.matchingStep(secret, ` ${codeAt(secret, NOW)}`, NOW)).toBeNull();
    expect(totp.matchingStep(secret, '12345', NOW)).toBeNull();
  });
});

describe('CryptoRecoveryCodes', () => {
  const factory = new CryptoRecoveryCodes();

  it('issues distinct 80-bit codes, xxxx-xxxx-xxxx-xxxx, with their SHA-256 digests', () => {
    const { codes, hashes } = factory.issue(10);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/);
    expect(hashes).toEqual(codes.map((c) => factory.digest(c)));
    expect(hashes[0]).toMatch(/^[0-9a-f]{64}$/);
  });

  it('finds a code typed in capitals, without hyphens or with spaces', () => {
    const [code] = factory.issue(1).codes;
    expect(factory.digest(code!.toUpperCase())).toBe(factory.digest(code!));
    expect(factory.digest(code!.replaceAll('-', ''))).toBe(factory.digest(code!));
    expect(factory.digest(code!.replaceAll('-', ' '))).toBe(factory.digest(code!));
  });
});
