import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Response } from 'supertest';
import { ERRORS, ErrorCode } from '@/common/errors';
import { TEST_JWT_SECRET, TestApp, startApp } from './support/app';
import {
  addUser,
  bearer,
  inviteUser,
  signUp,
  uniqueEmail,
  PASSWORD,
  setUserStatus,
} from './support/factories';
import { TestIssuer } from './support/oidc-issuer';
import { TestSmtpServer, linkToken } from './support/smtp-server';

const AUDIENCE = 'https://api.latchkey.test';
const OPERATOR_TOKEN = 'operator-token-for-the-oidc-suite-0123456789';

function expectInvalid(response: Response, code: ErrorCode = 'INVALID_TOKEN'): void {
  expect(response.status).toBe(401);
  expect(response.body).toEqual({
    statusCode: 401,
    error: 'Unauthorized',
    code,
    message: ERRORS[code].message,
  });
}

describe('External tokens (OIDC)', () => {
  let issuer: TestIssuer;
  let rsa: string;
  let ec: string;
  let t: TestApp;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    rsa = issuer.addKey('RS256');
    ec = issuer.addKey('ES256');
    smtp = await TestSmtpServer.start();
    t = await startApp({
      OIDC_ISSUER: issuer.url,
      OIDC_AUDIENCE: AUDIENCE,
      OPERATOR_TOKEN,
      SMTP_URL: smtp.url,
    });
  });
  afterAll(async () => {
    await t?.close();
    await issuer?.stop();
    await smtp?.stop();
  });

  /** The claims of a valid token for `email`, from the suite's issuer. */
  const claims = (sub: string, email: string, extra: Record<string, unknown> = {}) => ({
    iss: issuer.url,
    aud: AUDIENCE,
    sub,
    email,
    email_verified: true,
    ...extra,
  });
  const me = (token: string) => t.http().get('/api/user').set(bearer(token));
  /**
   * The user, with the email Latchkey has verified (only such users are linked). The flow that
   * verifies it (a mailed link) has a suite of its own; here it is set directly.
   */
  async function verified<T extends { email: string }>(user: T): Promise<T> {
    await t.app
      .get(DataSource)
      .query('UPDATE users SET email_verified_at = now() WHERE email = $1', [user.email]);
    return user;
  }

  describe('linking', () => {
    it('links a user by verified email on first sight, then knows it by sub whatever its email', async () => {
      const admin = await verified(await signUp(t.http));
      const sub = `auth0|${randomUUID()}`;

      const first = await me(issuer.sign(rsa, claims(sub, admin.email.toUpperCase()))).expect(200);
      expect(first.body).toMatchObject({ id: admin.userId, tenantId: admin.tenantId });

      const renamed = issuer.sign(ec, claims(sub, 'changed@elsewhere.test'));
      expect((await me(renamed).expect(200)).body.id).toBe(admin.userId);

      const audit = await t.http().get('/api/audit-events').set(bearer(admin.token)).expect(200);
      expect(audit.body.items[0]).toMatchObject({
        action: 'user.identity_linked',
        targetId: admin.userId,
        details: { issuer: issuer.url, subject: sub },
      });
    });

    it('never links a user whose email Latchkey has not verified (the signup takeover)', async () => {
      // An attacker signs up with the victim's address; the victim later signs in through the
      // provider, which vouches for the address. Linking would put the victim in the
      // attacker's tenant, under the attacker's password.
      const victimEmail = uniqueEmail('victim');
      const attacker = await t
        .http()
        .post('/api/auth/signup')
        .send({ tenantName: 'trap', email: victimEmail, password: PASSWORD })
        .expect(201);
      const victimToken = issuer.sign(rsa, claims(`auth0|${randomUUID()}`, victimEmail));
      expectInvalid(await me(victimToken));
      // An admin adding someone does not verify their address either.
      const admin = await signUp(t.http);
      const added = await addUser(t.http, admin.token, 'member');
      expectInvalid(await me(issuer.sign(rsa, claims(randomUUID(), added.email))));
      const users = await t.app
        .get(DataSource)
        .query('SELECT external_subject FROM users WHERE email = ANY($1)', [
          [victimEmail, added.email],
        ]);
      expect(users).toEqual([{ external_subject: null }, { external_subject: null }]);

      // The sign-up mailed a verification link to the victim, not to the attacker. Only if the
      // victim follows it (the mail says to ignore it if they did not sign up) does the address
      // count as verified.
      const link = linkToken(await smtp.mailTo(victimEmail, /Verify/));
      await t.http().post('/api/auth/verify-email').send({ token: link }).expect(200);
      expect((await me(victimToken).expect(200)).body.id).toBe(attacker.body.user.id);
    });

    it('links someone invited without a password once they accept the mailed invitation', async () => {
      const admin = await signUp(t.http);
      const { email } = await inviteUser(t.http, admin.token, 'member');
      const token = issuer.sign(rsa, claims(`auth0|${randomUUID()}`, email));
      expectInvalid(await me(token));
      const invitation = linkToken(await smtp.mailTo(email, /invited/));
      await t.http().post('/api/auth/accept-invite').send({ token: invitation }).expect(200);
      const linked = await me(token).expect(200);
      expect(linked.body).toMatchObject({ email, role: 'member', tenantId: admin.tenantId });
    });

    it('links only a verified email of a user with no external identity yet', async () => {
      const admin = await verified(await signUp(t.http));
      const sub = randomUUID();
      expectInvalid(
        await me(issuer.sign(rsa, claims(sub, admin.email, { email_verified: false }))),
      );
      expectInvalid(
        await me(issuer.sign(rsa, claims(sub, admin.email, { email_verified: undefined }))),
      );
      expectInvalid(await me(issuer.sign(rsa, claims(sub, uniqueEmail('nobody')))));

      await me(issuer.sign(rsa, claims(sub, admin.email))).expect(200);
      expectInvalid(await me(issuer.sign(rsa, claims(randomUUID(), admin.email))));
    });

    it('cannot be steered to another tenant: an email belongs to one user in all of them', async () => {
      const admin = await verified(await signUp(t.http));
      const other = await verified(await signUp(t.http));
      await t
        .http()
        .post('/api/auth/signup')
        .send({ tenantName: 'copy', email: admin.email, password: PASSWORD })
        .expect(409);
      await t
        .http()
        .post('/api/users')
        .set(bearer(other.token))
        .send({ email: admin.email, role: 'admin', password: PASSWORD })
        .expect(409);
      const linked = await me(issuer.sign(rsa, claims(randomUUID(), admin.email))).expect(200);
      expect(linked.body.tenantId).toBe(admin.tenantId);
    });

    it('refuses deactivated users and suspended tenants', async () => {
      const admin = await verified(await signUp(t.http));
      const member = await verified(await addUser(t.http, admin.token, 'member'));
      const memberToken = issuer.sign(rsa, claims(randomUUID(), member.email));
      await me(memberToken).expect(200);
      await setUserStatus(t.http, admin.token, member.id, 'deactivated');
      expectInvalid(await me(memberToken), 'ACCOUNT_INACTIVE');

      const adminToken = issuer.sign(ec, claims(randomUUID(), admin.email));
      await me(adminToken).expect(200);
      await t
        .http()
        .patch(`/api/operator/tenants/${admin.tenantId}`)
        .set(bearer(OPERATOR_TOKEN))
        .send({ status: 'suspended' })
        .expect(200);
      expectInvalid(await me(adminToken), 'ACCOUNT_INACTIVE');
    });

    it('keeps local tokens working beside external ones', async () => {
      const admin = await verified(await signUp(t.http));
      await me(admin.token).expect(200);
      await me(issuer.sign(rsa, claims(randomUUID(), admin.email))).expect(200);
      await me(admin.token).expect(200);
    });
  });

  describe('forgeries and bad tokens', () => {
    let email: string;
    let sub: string;
    beforeAll(async () => {
      email = (await verified(await signUp(t.http))).email;
      sub = randomUUID();
      await me(issuer.sign(rsa, claims(sub, email))).expect(200);
    });
    const now = () => Math.floor(Date.now() / 1000);

    it('accepts the genuine token (the cases below differ from it in one thing)', async () => {
      await me(issuer.sign(rsa, claims(sub, email))).expect(200);
    });

    it.each([
      ['alg none', () => TestIssuer.forge({ alg: 'none', kid: rsa }, claims(sub, email))],
      [
        'HS256 with the RSA public key as the secret',
        () =>
          TestIssuer.forge(
            { alg: 'HS256', typ: 'JWT', kid: rsa },
            claims(sub, email),
            TestIssuer.hmac(issuer.publicKeyPem(rsa)),
          ),
      ],
      [
        "HS256 with Latchkey's own secret, claiming the external issuer",
        () =>
          TestIssuer.forge(
            { alg: 'HS256', typ: 'JWT' },
            claims(sub, email, { exp: now() + 60 }),
            TestIssuer.hmac(TEST_JWT_SECRET),
          ),
      ],
      [
        'an algorithm other than RS256/ES256',
        () => issuer.sign(rsa, claims(sub, email), { algorithm: 'RS384' }),
      ],
      ['a future nbf', () => issuer.sign(rsa, claims(sub, email, { nbf: now() + 300 }))],
      ['another issuer', () => issuer.sign(rsa, claims(sub, email, { iss: 'https://evil.test/' }))],
      ['another audience', () => issuer.sign(rsa, claims(sub, email, { aud: 'https://other' }))],
      ['no sub', () => issuer.sign(rsa, claims(sub, email, { sub: undefined }))],
      ['no exp', () => issuer.sign(rsa, claims(sub, email, { exp: undefined }))],
      [
        'a crit header',
        () => issuer.sign(rsa, claims(sub, email), { header: { crit: ['b64'], b64: true } }),
      ],
      [
        'a tampered payload',
        () => {
          const [header, , signature] = issuer.sign(rsa, claims(sub, email)).split('.');
          const payload = Buffer.from(
            JSON.stringify(claims(`${sub}x`, email, { exp: now() + 300 })),
          ).toString('base64url');
          return `${header}.${payload}.${signature}`;
        },
      ],
      [
        "another key's signature under a published kid",
        () => {
          const stranger = issuer.addKey('RS256', false);
          const [, payload, signature] = issuer.sign(stranger, claims(sub, email)).split('.');
          const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: rsa })).toString(
            'base64url',
          );
          return `${header}.${payload}.${signature}`;
        },
      ],
    ])('refuses %s: Invalid token', async (_case, token) => {
      expectInvalid(await me(token()));
    });

    it('refuses an expired token (beyond the 30 s clock leeway): Token expired', async () => {
      const expired = issuer.sign(rsa, claims(sub, email, { iat: now() - 600, exp: now() - 60 }));
      expectInvalid(await me(expired), 'TOKEN_EXPIRED');
      const withinLeeway = issuer.sign(rsa, claims(sub, email, { exp: now() - 5 }));
      await me(withinLeeway).expect(200);
    });
  });

  describe('the JWKS', () => {
    // The app runs in this process: moving Date forward moves its clock (timers stay real).
    beforeAll(() =>
      jest.useFakeTimers({
        now: Date.now(),
        doNotFake: [
          'hrtime',
          'nextTick',
          'performance',
          'queueMicrotask',
          'setImmediate',
          'clearImmediate',
          'setInterval',
          'clearInterval',
          'setTimeout',
          'clearTimeout',
        ],
      }),
    );
    afterAll(() => jest.useRealTimers());
    const later = (ms: number) => jest.setSystemTime(Date.now() + ms);
    const SECOND = 1_000;
    const MINUTE = 60 * SECOND;

    let token: () => string;
    beforeAll(async () => {
      const admin = await verified(await signUp(t.http));
      const sub = randomUUID();
      token = () => issuer.sign(rsa, claims(sub, admin.email));
      await me(token()).expect(200);
    });

    it('is fetched once for many requests, whatever their key', async () => {
      const sub = randomUUID();
      const admin = await verified(await signUp(t.http));
      await me(issuer.sign(rsa, claims(sub, admin.email))).expect(200);
      const before = issuer.fetches;
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, n) =>
          me(issuer.sign(n % 2 ? rsa : ec, claims(sub, admin.email))),
        ),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
      expect(issuer.fetches).toBe(before);
    });

    it('is fetched again for unknown kids at most once per 30 s, and real tokens still pass', async () => {
      later(31 * SECOND);
      const before = issuer.fetches;
      const made = await Promise.all(
        Array.from({ length: 30 }, () =>
          me(issuer.sign(issuer.addKey('ES256', false), claims(randomUUID(), 'x@example.test'))),
        ),
      );
      for (const response of made) expectInvalid(response);
      expect(issuer.fetches).toBe(before + 1);
      await me(token()).expect(200);
    });

    it('picks up a key the issuer adds, once the cooldown has passed', async () => {
      const admin = await verified(await signUp(t.http));
      const added = issuer.addKey('ES256');
      const signed = () => issuer.sign(added, claims(randomUUID(), admin.email));
      expectInvalid(await me(signed()));
      later(31 * SECOND);
      const before = issuer.fetches;
      await me(signed()).expect(200);
      expect(issuer.fetches).toBe(before + 1);
    });

    it('is fetched again after 10 minutes', async () => {
      later(10 * MINUTE);
      const before = issuer.fetches;
      await me(token()).expect(200);
      await me(token()).expect(200);
      expect(issuer.fetches).toBe(before + 1);
    });

    it('while the issuer is down: known keys work for up to an hour, others get 503', async () => {
      const admin = await verified(await signUp(t.http));
      const fresh = issuer.addKey('RS256');
      const needsFetch = () => issuer.sign(fresh, claims(randomUUID(), admin.email));
      await issuer.stop();
      later(31 * SECOND);

      await me(token()).expect(200);
      const refused = await me(needsFetch());
      expect(refused.status).toBe(503);
      expect(refused.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'UNAVAILABLE',
        message: 'Service unavailable',
      });

      later(10 * MINUTE);
      await me(token()).expect(200);
      later(61 * MINUTE);
      expect((await me(token())).status).toBe(503);
    });

    it.each(['hang', 'drip'] as const)(
      'gives up on an issuer that %ss after 5 s: 503, not a hung request',
      async (mode) => {
        const admin = await verified(await signUp(t.http));
        issuer.mode = mode;
        await issuer.restart();
        later(31 * SECOND);
        const response = await me(
          issuer.sign(issuer.addKey('RS256'), claims(randomUUID(), admin.email)),
        ).timeout(15_000);
        expect(response.status).toBe(503);
      },
      20_000,
    );

    it('recovers when the issuer is back', async () => {
      issuer.mode = 'up';
      await issuer.restart();
      later(31 * SECOND);
      await me(token()).expect(200);
    });
  });
});
