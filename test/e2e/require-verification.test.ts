import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quietPeriod } from '../support/async.js';
import { Api } from '../support/e2e.js';
import { Mailbox } from '../support/mailbox.js';
import { postgresAvailable } from '../support/postgres.js';
import { newUserBody, startTestService, TEST_ADMIN, type TestService } from '../support/test-service.js';

const postgresUp = await postgresAvailable();

describe.each(['pglite', 'postgres'] as const)('REQUIRE_EMAIL_VERIFICATION=true [%s]', (engine) => {
  describe.skipIf(engine === 'postgres' && !postgresUp)('', () => {
    let service: TestService;
    let api: Api;
    let mailbox: Mailbox;
    beforeAll(async () => {
      service = await startTestService(engine, { REQUIRE_EMAIL_VERIFICATION: 'true' });
      api = new Api(service.url);
      mailbox = new Mailbox(service.url);
    });
    afterAll(() => service?.stop());
    const post = (path: string, body: unknown) => api.request('POST', path, { body });

    it('sign-up answers the same 202 for a new and a taken address; the owner gets a notice, not an account', async () => {
      const user = newUserBody(`req-${engine}`);
      const fresh = await post('/api/v1/auth/register', user);
      // The account exists once its verification mail went out (its creation is a command).
      const verification = await mailbox.waitFor(user.email, 'email-verification');
      const taken = await post('/api/v1/auth/register', {
        ...user,
        username: `other-${engine}`,
        password: 'another-long-passphrase-3',
      });
      expect([fresh.status, fresh.body]).toEqual([202, { status: 'verification_sent' }]);
      expect([taken.status, taken.body]).toEqual([202, { status: 'verification_sent' }]);
      expect(fresh.headers.get('location')).toBeNull();
      const notice = await mailbox.waitFor(user.email, 'sign-up-attempted');
      expect(notice.subject).toBe('Someone tried to sign up with your address');
      expect(notice.token).toBeNull();

      // The right password of the unverified account: 403; a wrong one: still 401.
      const refused = await post('/api/v1/auth/login', { email: user.email, password: user.password });
      expect([refused.status, (refused.body as { code: string }).code]).toEqual([403, 'email_not_verified']);
      const wrong = await post('/api/v1/auth/login', { email: user.email, password: 'not-the-password-at-all' });
      expect(wrong.status).toBe(401);

      expect((await post('/api/v1/auth/email-verification/confirm', { token: verification.token })).status).toBe(200);
      expect((await post('/api/v1/auth/login', { email: user.email, password: user.password })).status).toBe(200);
      await quietPeriod(500);
      // The second sign-up made no account: its password does not log in.
      const other = await post('/api/v1/auth/login', { email: user.email, password: 'another-long-passphrase-3' });
      expect(other.status).toBe(401);
    });

    it('still refuses a broken sign-up with 400, and lets the (verified) bootstrap admin in', async () => {
      expect((await post('/api/v1/auth/register', newUserBody(`bad-${engine}`, { password: 'short' }))).status).toBe(
        400,
      );
      expect((await post('/api/v1/auth/login', TEST_ADMIN)).status).toBe(200);
    });
  });
});
