import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { BackgroundWork } from '@/common/background-work';
import { Mailer } from '@/mail/mailer.service';
import { PasswordHasher } from '@/users/password-hasher';
import { TestApp, startApp } from './support/app';
import {
  PASSWORD,
  addUser,
  bearer,
  inviteUser,
  createKey,
  logIn,
  setUserStatus,
  signUp,
  uniqueEmail,
} from './support/factories';
import { TestSmtpServer, linkPath, linkToken } from './support/smtp-server';

const PUBLIC_URL = 'https://console.latchkey.test';
const NEW_PASSWORD = 'a brand new passphrase, long enough';
const INVITATIONS_PER_DAY = 5;

describe('Accounts by mail: verification, invitations, forgotten and changed passwords', () => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  const me = (token: string) => t.http().get('/api/user').set(bearer(token));
  const post = (path: string, body: object) => t.http().post(path).send(body);

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    t = await startApp({
      SMTP_URL: smtp.url,
      PUBLIC_URL,
      MAIL_FROM: 'Latchkey <keys@latchkey.test>',
      INVITATIONS_PER_TENANT_PER_DAY: String(INVITATIONS_PER_DAY),
    });
  });
  beforeEach(() => {
    smtp.behaviour = 'accept';
  });
  afterAll(async () => {
    // The server first: a delivery left hanging fails at once, and the app closes without it.
    await smtp?.stop();
    await t?.close();
  });

  /**
   * Waits until the work requests left behind is done (a reset mail is composed after the
   * answer) and every mail the app holds is with the SMTP server (or given up on).
   */
  const mailsSettled = async () => {
    await t.app.get(BackgroundWork).idle();
    await t.app.get(Mailer).idle();
  };

  describe('email verification', () => {
    it('mails a link at sign-up; the link verifies the email, once', async () => {
      const admin = await signUp(t.http);
      expect((await me(admin.token).expect(200)).body.emailVerified).toBe(false);

      const mail = await smtp.mailTo(admin.email, /Verify your email/);
      expect(mail.from).toBe('keys@latchkey.test');
      expect(mail.text).toContain(`${PUBLIC_URL}/verify-email?token=`);
      expect(linkPath(mail)).toBe('/verify-email');
      const token = linkToken(mail);

      const verified = await post('/api/auth/verify-email', { token }).expect(200);
      expect(verified.body).toEqual({ email: admin.email, emailVerified: true });
      expect((await me(admin.token).expect(200)).body.emailVerified).toBe(true);

      const again = await post('/api/auth/verify-email', { token }).expect(400);
      expect(again.body).toMatchObject({ code: 'INVALID_LINK_TOKEN' });
    });

    it('keeps only a digest of the token', async () => {
      const admin = await signUp(t.http);
      const token = linkToken(await smtp.mailTo(admin.email));
      const rows: { digest: string; purpose: string }[] = await t.app
        .get(DataSource)
        .query('SELECT digest, purpose FROM account_tokens WHERE email = $1', [admin.email]);
      expect(rows).toEqual([
        { digest: createHash('sha256').update(token).digest('hex'), purpose: 'verify_email' },
      ]);
    });

    it('refuses a link after 24 hours, and made-up or malformed ones', async () => {
      const admin = await signUp(t.http);
      const token = linkToken(await smtp.mailTo(admin.email));
      const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 24 * 3_600_000 + 1_000);
      try {
        await post('/api/auth/verify-email', { token }).expect(400);
      } finally {
        clock.mockRestore();
      }
      for (const made of ['A'.repeat(43), 'short', token.slice(0, -1) + '-']) {
        const refused = await post('/api/auth/verify-email', { token: made }).expect(400);
        expect(refused.body.code).toBe('INVALID_LINK_TOKEN');
      }
      expect((await post('/api/auth/verify-email', {}).expect(400)).body.code).toBe(
        'VALIDATION_FAILED',
      );
      expect((await me(admin.token).expect(200)).body.emailVerified).toBe(false);
    });

    it('mails a new link on request: not twice a minute, and never once verified', async () => {
      const admin = await signUp(t.http);
      await smtp.mailTo(admin.email);
      const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 61_000);
      try {
        const resend = () =>
          t.http().post('/api/auth/verify-email/resend').set(bearer(admin.token)).expect(202);
        await resend();
        await resend();
        await mailsSettled();
        const mails = smtp.mailsTo(admin.email);
        expect(mails).toHaveLength(2);
        await post('/api/auth/verify-email', { token: linkToken(mails[1]) }).expect(200);
        // The first link is still good until it expires; the email is verified either way.
        await post('/api/auth/verify-email', { token: linkToken(mails[0]) }).expect(200);
        clock.mockReturnValue(Date.now() + 3 * 61_000);
        await resend();
        await mailsSettled();
        expect(smtp.mailsTo(admin.email)).toHaveLength(2);
      } finally {
        clock.mockRestore();
      }
    });
  });

  describe('invitations', () => {
    it('are mailed when an admin adds someone without a password; accepting sets it and verifies the email', async () => {
      const admin = await signUp(t.http);
      const { id, email } = await inviteUser(t.http, admin.token, 'member');
      const mail = await smtp.mailTo(email, /You are invited/);
      expect(mail.subject).toBe('You are invited to admin tenant on Latchkey');
      expect(mail.text).toContain('as a member');
      expect(linkPath(mail)).toBe('/accept-invite');
      await post('/api/auth/login', { email, password: PASSWORD }).expect(401);

      const accepted = await post('/api/auth/accept-invite', {
        token: linkToken(mail),
        password: PASSWORD,
      }).expect(200);
      expect(accepted.body).toEqual({ email, emailVerified: true });
      const session = await logIn(t.http, email);
      expect((await me(session.accessToken).expect(200)).body).toMatchObject({
        id,
        role: 'member',
        emailVerified: true,
      });
      await post('/api/auth/accept-invite', { token: linkToken(mail) }).expect(400);
    });

    it('can be accepted without a password (sign-in through the identity provider only)', async () => {
      const admin = await signUp(t.http);
      const { email } = await inviteUser(t.http, admin.token, 'viewer');
      const token = linkToken(await smtp.mailTo(email));
      await post('/api/auth/accept-invite', { token }).expect(200);
      const users = await t.http().get('/api/users').set(bearer(admin.token)).expect(200);
      expect(users.body.items).toContainEqual(expect.objectContaining({ email }));
      await post('/api/auth/login', { email, password: PASSWORD }).expect(401);
    });

    it('are not mailed to someone added with a password', async () => {
      const admin = await signUp(t.http);
      const member = await addUser(t.http, admin.token, 'member');
      await mailsSettled();
      expect(smtp.mailsTo(member.email)).toEqual([]);
      expect((await me(member.token).expect(200)).body.emailVerified).toBe(false);
    });

    it('can be sent again by an admin: the new link works, the old one no longer', async () => {
      const admin = await signUp(t.http);
      const added = await inviteUser(t.http, admin.token, 'member');
      const { email } = added;
      const first = linkToken(await smtp.mailTo(email));
      const resend = () =>
        t.http().post(`/api/users/${added.id}/invitation`).set(bearer(admin.token));
      // Within the minute: accepted, but no second mail (one a minute per person).
      await resend().expect(202);
      await mailsSettled();
      expect(smtp.mailsTo(email)).toHaveLength(1);
      const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 61_000);
      try {
        await resend().expect(202);
        await mailsSettled();
        const second = linkToken(smtp.mailsTo(email)[1]);
        await post('/api/auth/accept-invite', { token: first }).expect(400);
        await post('/api/auth/accept-invite', { token: second }).expect(200);
        expect((await resend().expect(409)).body.code).toBe('CONFLICT');
      } finally {
        clock.mockRestore();
      }

      const stranger = await signUp(t.http);
      await t
        .http()
        .post(`/api/users/${added.id}/invitation`)
        .set(bearer(stranger.token))
        .expect(404);
      const member = await addUser(t.http, admin.token, 'member');
      await t
        .http()
        .post(`/api/users/${added.id}/invitation`)
        .set(bearer(member.token))
        .expect(403);
    });

    it('when accepted, end what was done with an admin-chosen password, and replace it', async () => {
      const admin = await signUp(t.http);
      const member = await addUser(t.http, admin.token, 'member');
      // The account's own request for a verification link brings the invitation instead: only
      // accepting it proves the mailbox of someone an admin added.
      await t.http().post('/api/auth/verify-email/resend').set(bearer(member.token)).expect(202);
      const mail = await smtp.mailTo(member.email);
      expect(mail.subject).toMatch(/You are invited/);
      expect(mail.text).toContain('admin has invited you');

      await post('/api/auth/accept-invite', { token: linkToken(mail) }).expect(200);
      expect((await me(member.token).expect(401)).body.code).toBe('SESSION_ENDED');
      await post('/api/auth/login', { email: member.email, password: PASSWORD }).expect(401);
    });

    it('are limited per tenant and day', async () => {
      const admin = await signUp(t.http);
      const invite = () =>
        t
          .http()
          .post('/api/users')
          .set(bearer(admin.token))
          .send({ email: uniqueEmail('many'), role: 'viewer' });
      for (let i = 0; i < INVITATIONS_PER_DAY; i++) await inviteUser(t.http, admin.token, 'viewer');
      const refused = await invite().expect(429);
      expect(refused.body).toMatchObject({
        code: 'RATE_LIMITED',
        message: `Invitation limit reached: ${INVITATIONS_PER_DAY} invitations a day per tenant`,
      });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(86_000);
      // Adding someone with a password mails nothing, so the limit does not apply.
      await addUser(t.http, admin.token, 'viewer');
    });

    it('cannot be accepted by a deactivated user', async () => {
      const admin = await signUp(t.http);
      const added = await inviteUser(t.http, admin.token, 'member');
      const { email } = added;
      const token = linkToken(await smtp.mailTo(email));
      await setUserStatus(t.http, admin.token, added.id, 'deactivated');
      await post('/api/auth/accept-invite', { token, password: PASSWORD }).expect(400);
    });
  });

  describe('forgotten passwords', () => {
    it('answer 202 alike for a known and an unknown email; only the account owner gets a mail', async () => {
      const admin = await signUp(t.http);
      await smtp.mailTo(admin.email);
      const unknown = uniqueEmail('nobody');
      const known = await post('/api/auth/forgot-password', { email: admin.email }).expect(202);
      const other = await post('/api/auth/forgot-password', { email: unknown }).expect(202);
      expect({ body: known.text, type: known.headers['content-type'] }).toEqual({
        body: other.text,
        type: other.headers['content-type'],
      });
      const mail = await smtp.mailTo(admin.email, /Reset your Latchkey password/);
      expect(linkPath(mail)).toBe('/reset-password');
      expect(mail.text).toContain('within 30 minutes');
      await mailsSettled();
      expect(smtp.mailsTo(unknown)).toEqual([]);
      await post('/api/auth/forgot-password', { email: 'not an email' }).expect(400);
    });

    it('reset the password, end every session and verify the email; API keys keep working', async () => {
      const admin = await signUp(t.http);
      const laptop = await logIn(t.http, admin.email);
      const key = await createKey(t.http, admin.token);
      await post('/api/auth/forgot-password', { email: admin.email }).expect(202);
      const token = linkToken(await smtp.mailTo(admin.email, /Reset/));

      await post('/api/auth/reset-password', { token, password: NEW_PASSWORD }).expect(204);

      for (const session of [admin.token, laptop.accessToken]) {
        expect((await me(session).expect(401)).body.code).toBe('SESSION_ENDED');
      }
      await post('/api/auth/refresh', { refreshToken: laptop.refreshToken }).expect(401);
      await post('/api/auth/login', { email: admin.email, password: PASSWORD }).expect(401);
      const fresh = await post('/api/auth/login', {
        email: admin.email,
        password: NEW_PASSWORD,
      }).expect(200);
      expect((await me(fresh.body.accessToken).expect(200)).body.emailVerified).toBe(true);
      await me(key.key).expect(200);
      await post('/api/auth/reset-password', { token, password: PASSWORD }).expect(400);

      const audit = await t
        .http()
        .get('/api/audit-events')
        .set(bearer(fresh.body.accessToken))
        .expect(200);
      expect(audit.body.items[0]).toMatchObject({
        action: 'user.password_reset',
        targetId: admin.userId,
      });
    });

    it('mail at most once a minute per account, and the newest link is the one that works', async () => {
      const admin = await signUp(t.http);
      await post('/api/auth/forgot-password', { email: admin.email }).expect(202);
      await post('/api/auth/forgot-password', { email: admin.email }).expect(202);
      await mailsSettled();
      const first = linkToken(await smtp.mailTo(admin.email, /Reset/));
      expect(smtp.mailsTo(admin.email).filter((mail) => /Reset/.test(mail.subject))).toHaveLength(
        1,
      );

      const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 61_000);
      try {
        await post('/api/auth/forgot-password', { email: admin.email }).expect(202);
        await mailsSettled();
        const resets = smtp.mailsTo(admin.email).filter((mail) => /Reset/.test(mail.subject));
        expect(resets).toHaveLength(2);
        await post('/api/auth/reset-password', { token: first, password: NEW_PASSWORD }).expect(
          400,
        );
        await post('/api/auth/reset-password', {
          token: linkToken(resets[1]),
          password: NEW_PASSWORD,
        }).expect(204);
      } finally {
        clock.mockRestore();
      }
    });

    it('send no link to a deactivated user, and refuse one that expired (30 minutes)', async () => {
      const admin = await signUp(t.http);
      const member = await addUser(t.http, admin.token, 'member');
      await setUserStatus(t.http, admin.token, member.id, 'deactivated');
      await post('/api/auth/forgot-password', { email: member.email }).expect(202);

      await post('/api/auth/forgot-password', { email: admin.email }).expect(202);
      const token = linkToken(await smtp.mailTo(admin.email, /Reset/));
      const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 31 * 60_000);
      try {
        await post('/api/auth/reset-password', { token, password: NEW_PASSWORD }).expect(400);
      } finally {
        clock.mockRestore();
      }
      await mailsSettled();
      expect(smtp.mailsTo(member.email)).toEqual([]);
    });
  });

  describe('changing the password', () => {
    it('needs the current one, and ends every other session but not this one, nor API keys', async () => {
      const admin = await signUp(t.http);
      const phone = await logIn(t.http, admin.email);
      const key = await createKey(t.http, admin.token);
      const change = (body: object) =>
        t.http().post('/api/user/password').set(bearer(admin.token)).send(body);

      const wrong = await change({ currentPassword: 'not it at all', newPassword: NEW_PASSWORD });
      expect(wrong.status).toBe(400);
      expect(wrong.body.code).toBe('WRONG_PASSWORD');
      await me(phone.accessToken).expect(200);

      await change({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }).expect(204);
      await me(admin.token).expect(200);
      expect((await me(phone.accessToken).expect(401)).body.code).toBe('SESSION_ENDED');
      await me(key.key).expect(200);
      await post('/api/auth/login', { email: admin.email, password: PASSWORD }).expect(401);
      await post('/api/auth/login', { email: admin.email, password: NEW_PASSWORD }).expect(200);
      await change({ currentPassword: NEW_PASSWORD, newPassword: 'short' }).expect(400);
    });

    it('counts a wrong current password as a failed login: five lock the caller out', async () => {
      const admin = await signUp(t.http);
      const change = () =>
        t
          .http()
          .post('/api/user/password')
          .set(bearer(admin.token))
          .send({ currentPassword: 'a guess at the password', newPassword: NEW_PASSWORD });
      for (let n = 1; n <= 5; n++) await change().expect(400);
      const locked = await change().expect(429);
      expect(locked.body.code).toBe('LOGIN_LOCKED');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      const login = await post('/api/auth/login', { email: admin.email, password: PASSWORD });
      expect(login.status).toBe(429);
    });

    it('is refused to a key scoped without account:manage', async () => {
      const admin = await signUp(t.http);
      const scoped = await createKey(t.http, admin.token, { scopes: ['projects:read'] });
      await t
        .http()
        .post('/api/user/password')
        .set(bearer(scoped.key))
        .send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD })
        .expect(403);
    });
  });

  describe('sign-ins under attack', () => {
    it("mail the account's owner when failed logins lock an address out, once an hour", async () => {
      const admin = await signUp(t.http);
      await smtp.mailTo(admin.email, /Verify/);
      const wrong = () => post('/api/auth/login', { email: admin.email, password: 'guess!guess!' });
      for (let n = 1; n <= 5; n++) await wrong().expect(401);
      await wrong().expect(429);
      const notice = await smtp.mailTo(admin.email, /Repeated failed sign-ins/);
      expect(notice.text).toContain('127.0.0.1');
      expect(notice.text).toContain(`${PUBLIC_URL}/forgot-password`);

      // The next lockout of the same account within the hour sends nothing more.
      const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 61_000);
      try {
        await wrong().expect(401);
        await wrong().expect(429);
      } finally {
        clock.mockRestore();
      }
      await mailsSettled();
      const notices = smtp.mailsTo(admin.email).filter((mail) => /Repeated/.test(mail.subject));
      expect(notices).toHaveLength(1);
    });

    /**
     * Holds the next login between its password check and its session, as a slow argon2 would,
     * until the test has done what races it; then the login goes on and its answer is returned.
     */
    async function loginRacing(
      email: string,
      meanwhile: () => Promise<unknown>,
    ): Promise<{ status: number; code?: string }> {
      const hasher = t.app.get(PasswordHasher);
      const check = hasher.verifyAndUpgrade.bind(hasher);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let checked!: () => void;
      const passwordChecked = new Promise<void>((resolve) => (checked = resolve));
      const slow = jest
        .spyOn(hasher, 'verifyAndUpgrade')
        .mockImplementationOnce(async (...args) => {
          const result = await check(...args);
          checked();
          await gate;
          return result;
        });
      try {
        const login = post('/api/auth/login', { email, password: PASSWORD }).then((r) => r);
        await passwordChecked;
        await meanwhile();
        release();
        const answer = await login;
        return { status: answer.status, code: answer.body.code as string | undefined };
      } finally {
        slow.mockRestore();
        release();
      }
    }

    it('refuse a login whose password was changed while it was being checked', async () => {
      const admin = await signUp(t.http);
      // The old password is right when argon2 looks at it, and changed before the login opens
      // its session.
      const answer = await loginRacing(admin.email, () =>
        t
          .http()
          .post('/api/user/password')
          .set(bearer(admin.token))
          .send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD })
          .expect(204),
      );
      expect(answer).toEqual({ status: 401, code: 'INVALID_CREDENTIALS' });
      const sessions = await t.http().get('/api/user/sessions').set(bearer(admin.token));
      expect(sessions.body.items).toHaveLength(1);
    });

    it('refuse a login whose user was deactivated while it was being checked', async () => {
      const admin = await signUp(t.http);
      const member = await addUser(t.http, admin.token, 'member');
      const answer = await loginRacing(member.email, () =>
        setUserStatus(t.http, admin.token, member.id, 'deactivated'),
      );
      expect(answer).toEqual({ status: 401, code: 'ACCOUNT_INACTIVE' });
      await setUserStatus(t.http, admin.token, member.id, 'active');
      // Only the session of addUser's own login, ended by the deactivation: nothing new.
      const rows: { live: number }[] = await t.app
        .get(DataSource)
        .query(
          'SELECT count(*)::int AS live FROM sessions WHERE user_id = $1 AND ended_at IS NULL',
          [member.id],
        );
      expect(rows).toEqual([{ live: 0 }]);
    });
  });

  // Last: the hung delivery holds the mailer until the SMTP client's own timeout.
  describe('a mail server that hangs', () => {
    it('does not hold up a sign-up while the mail server hangs', async () => {
      smtp.behaviour = 'hang';
      const admin = await signUp(t.http);
      await me(admin.token).expect(200);
      expect(smtp.mailsTo(admin.email)).toEqual([]);
    });
  });
});
