import { describe, expect, it } from 'vitest';
import { mailsFor } from '../../../../../src/contexts/mail/domain/mail-events.js';

const data = {
  email: 'ada@example.com',
  username: 'ada',
  locale: 'es',
  sealedToken: 'v1.box',
  expiresAt: '2026-01-02T00:00:00.000Z',
};

describe('mailsFor: the mails each event asks for', () => {
  it('a verification and a reset: one mail with the token and its page', () => {
    expect(mailsFor('e1', 'auth.email_verification.requested', data)).toEqual([
      {
        key: 'e1',
        request: {
          template: 'email-verification',
          to: 'ada@example.com',
          locale: 'es',
          linkPath: '/auth/verify-email',
          sealedToken: 'v1.box',
          expiresAt: '2026-01-02T00:00:00.000Z',
          values: { username: 'ada' },
        },
      },
    ]);
    expect(mailsFor('e2', 'auth.password_reset.requested', data)[0]!.request).toMatchObject({
      template: 'password-reset',
      linkPath: '/auth/reset-password',
    });
  });

  it('a change of address: the confirmation to the new address, a notice (no token) to the old one, each its own key', () => {
    const mails = mailsFor('e3', 'auth.email_change.requested', { ...data, newEmail: 'new@example.com' });
    expect(mails.map((m) => [m.key, m.request.template, m.request.to])).toEqual([
      ['e3:confirmation', 'email-change-confirmation', 'new@example.com'],
      ['e3:notice', 'email-change-notice', 'ada@example.com'],
    ]);
    expect(mails[1]!.request).not.toHaveProperty('sealedToken');
    expect(mailsFor('e3', 'auth.email_change.requested', data)).toEqual([]);
  });

  it('a sign-up attempt on an existing account: a notice', () => {
    expect(mailsFor('e4', 'auth.sign_up.attempted', { email: 'ada@example.com' })[0]!.request).toMatchObject({
      template: 'sign-up-attempted',
      locale: 'en',
      values: { username: '' },
    });
  });

  it('a change of second factor: a notice saying which change and by whom', () => {
    const [mail, ...more] = mailsFor('e7', 'auth.second_factor.changed', { ...data, change: 'totp_enabled', by: 'admin' });
    expect(more).toEqual([]);
    expect(mail).toMatchObject({
      key: 'e7',
      request: { template: 'second-factor-changed', to: 'ada@example.com', values: { change: 'totp_enabled', by: 'admin' } },
    });
    expect(mail!.request).not.toHaveProperty('sealedToken');
  });

  it('nothing for an event without a recipient, or of a type it does not know', () => {
    expect(mailsFor('e5', 'auth.password_reset.requested', { username: 'x' })).toEqual([]);
    expect(mailsFor('e6', 'auth.something.else', data)).toEqual([]);
  });
});
