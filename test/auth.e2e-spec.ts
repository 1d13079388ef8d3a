import * as argon2 from 'argon2';
import { DataSource } from 'typeorm';
import { ERRORS, ErrorCode } from '@/common/errors';
import { TestApp, startApp } from './support/app';
import { PASSWORD, bearer, signUp, uniqueEmail } from './support/factories';
import { localClaims, signHs256, unsigned } from './support/tokens';

/** The claims of a token, read without checking it. */
function claimsOf(token: string): { sid: string } {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sid: string };
}

describe('Sign-up, login and the access token', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  describe('POST /api/auth/signup', () => {
    it('creates a tenant on the standard plan with the caller as admin, and a working token', async () => {
      const email = uniqueEmail('Founder').toUpperCase();
      const response = await t
        .http()
        .post('/api/auth/signup')
        .send({ tenantName: '  Acme  ', email, password: PASSWORD, name: 'Ada' })
        .expect(201);

      expect(response.body).toEqual({
        user: {
          id: expect.any(String),
          username: email.toLowerCase(),
          email: email.toLowerCase(),
          name: 'Ada',
          role: 'admin',
          tenantId: expect.any(String),
          emailVerified: false,
        },
        tenant: {
          id: response.body.user.tenantId,
          name: 'Acme',
          plan: 'standard',
          limits: { requestsPerMinute: 100, maxActiveKeysPerUser: 5 },
        },
        accessToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 900,
        refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      });
      expect(JSON.stringify(response.body)).not.toContain(PASSWORD);

      const me = await t.http().get('/api/user').set(bearer(response.body.accessToken)).expect(200);
      expect(me.body).toEqual(response.body.user);
    });

    it('stores an argon2 hash, never the password', async () => {
      const { email } = await signUp(t.http);
      const rows: { password_hash: string }[] = await t.app
        .get(DataSource)
        .query('SELECT password_hash FROM users WHERE email = $1', [email]);
      expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
      expect(rows[0].password_hash).not.toContain(PASSWORD);
    });

    it('answers 409 for an email already registered, in any letter case', async () => {
      const { email } = await signUp(t.http);
      const response = await t
        .http()
        .post('/api/auth/signup')
        .send({ tenantName: 'Again', email: email.toUpperCase(), password: PASSWORD })
        .expect(409);
      expect(response.body).toEqual({
        statusCode: 409,
        error: 'Conflict',
        code: 'EMAIL_TAKEN',
        message: 'A user with this email already exists',
      });
    });

    it.each([
      ['a short password', { password: 'short' }, 'password'],
      ['a bad email', { email: 'not-an-email' }, 'email'],
      ['an empty tenant name', { tenantName: '   ' }, 'tenantName'],
      ['a field that does not exist', { role: 'admin' }, 'role'],
      ['a number for a string', { tenantName: 42 }, 'tenantName'],
    ])('refuses %s with 400, naming the field', async (_, change, field) => {
      const body = { tenantName: 'Acme', email: uniqueEmail(), password: PASSWORD, ...change };
      const response = await t.http().post('/api/auth/signup').send(body).expect(400);
      expect(response.body.statusCode).toBe(400);
      expect(response.body.error).toBe('Bad Request');
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(response.body.message).toContain(field);
    });
  });

  describe('POST /api/auth/login', () => {
    it('exchanges email and password for a bearer token', async () => {
      const { email } = await signUp(t.http);
      const response = await t
        .http()
        .post('/api/auth/login')
        .send({ email: email.toUpperCase(), password: PASSWORD })
        .expect(200);
      expect(response.body).toEqual({
        accessToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 900,
        refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      });
      await t.http().get('/api/user').set(bearer(response.body.accessToken)).expect(200);
    });

    it('answers a wrong password and an unknown email with the same 401', async () => {
      const { email } = await signUp(t.http);
      const wrong = await t
        .http()
        .post('/api/auth/login')
        .send({ email, password: 'not the password' });
      const unknown = await t
        .http()
        .post('/api/auth/login')
        .send({ email: uniqueEmail('nobody'), password: PASSWORD });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        code: 'INVALID_CREDENTIALS',
        message: 'Invalid email or password',
      });
    });

    it("rehashes a password stored with older argon2 parameters at the user's next login", async () => {
      const { email } = await signUp(t.http);
      const database = t.app.get(DataSource);
      const storedHash = async () => {
        const rows = await database.query<{ password_hash: string }[]>(
          'SELECT password_hash FROM users WHERE email = $1',
          [email],
        );
        return rows[0].password_hash;
      };
      // Any parameters but today's (cheap ones: the suite stays fast).
      const older = await argon2.hash(PASSWORD, { memoryCost: 8_192, timeCost: 1, parallelism: 1 });
      await database.query('UPDATE users SET password_hash = $1 WHERE email = $2', [older, email]);

      await t.http().post('/api/auth/login').send({ email, password: 'wrong' }).expect(401);
      expect(await storedHash()).toBe(older);
      await t.http().post('/api/auth/login').send({ email, password: PASSWORD }).expect(200);
      const upgraded = await storedHash();
      expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      await t.http().post('/api/auth/login').send({ email, password: PASSWORD }).expect(200);
      expect(await storedHash()).toBe(upgraded);
    });
  });

  describe('the access token', () => {
    it('carries the user, the tenant, the session, iat and an exp JWT_TTL_SECONDS ahead', async () => {
      const { token, userId, tenantId } = await signUp(t.http);
      const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
      const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
      expect(header.alg).toBe('HS256');
      expect(payload).toMatchObject({ sub: userId, tid: tenantId, sid: expect.any(String) });
      expect(payload.exp - payload.iat).toBe(900);
    });

    it('is refused when missing, garbage, forged, expired, unsigned or from another issuer', async () => {
      const { userId, tenantId, token } = await signUp(t.http);
      const other = await signUp(t.http);
      // Everything a genuine token of this session carries, but for what each case changes.
      const { sid } = claimsOf(token);
      const claims = (sub: string, tid: string, overrides: object = {}) =>
        localClaims(sub, tid, { sid, ...overrides });
      const cases: [Record<string, string>, ErrorCode][] = [
        [{}, 'MISSING_CREDENTIAL'],
        [{ Authorization: 'Bearer' }, 'MISSING_CREDENTIAL'],
        [{ Authorization: 'Basic dXNlcjpwYXNz' }, 'MISSING_CREDENTIAL'],
        [{ Authorization: 'Bearer not.a.jwt' }, 'INVALID_TOKEN'],
        [{ Authorization: `Bearer ${'x'.repeat(10_000)}` }, 'MISSING_CREDENTIAL'],
        [
          bearer(signHs256(claims(userId, tenantId), 'another-secret-of-sufficient-length!!')),
          'INVALID_TOKEN',
        ],
        [bearer(signHs256(claims(userId, tenantId, { exp: 1_000_000 }))), 'TOKEN_EXPIRED'],
        [bearer(signHs256(claims(userId, tenantId, { iss: 'someone-else' }))), 'INVALID_TOKEN'],
        [bearer(signHs256(claims(userId, tenantId, { aud: 'other' }))), 'INVALID_TOKEN'],
        [bearer(unsigned(claims(userId, tenantId))), 'INVALID_TOKEN'],
        [bearer(signHs256(claims('not-a-uuid', tenantId))), 'INVALID_TOKEN'],
        [
          bearer(signHs256(claims(userId, '00000000-0000-4000-8000-000000000000'))),
          'INVALID_TOKEN',
        ],
        [
          bearer(signHs256(claims('00000000-0000-4000-8000-000000000000', tenantId))),
          'INVALID_TOKEN',
        ],
        // Signed by us, but without a session, or with another user's session.
        [bearer(signHs256(claims(userId, tenantId, { sid: undefined }))), 'INVALID_TOKEN'],
        [bearer(signHs256(claims(other.userId, other.tenantId))), 'INVALID_TOKEN'],
        [
          bearer(
            signHs256(claims(userId, tenantId, { sid: '00000000-0000-4000-8000-000000000000' })),
          ),
          'INVALID_TOKEN',
        ],
      ];
      // The genuine token, re-signed by the test: what every case above departs from.
      await t
        .http()
        .get('/api/user')
        .set(bearer(signHs256(claims(userId, tenantId))))
        .expect(200);
      for (const [headers, code] of cases) {
        const response = await t.http().get('/api/user').set(headers);
        expect({ headers, status: response.status, body: response.body }).toEqual({
          headers,
          status: 401,
          body: { statusCode: 401, error: 'Unauthorized', code, message: ERRORS[code].message },
        });
      }
    });

    it('stops working on the next request once the user is deactivated or the tenant suspended', async () => {
      const db = t.app.get(DataSource);
      const deactivated = await signUp(t.http);
      await db.query(`UPDATE users SET status = 'deactivated' WHERE id = $1`, [deactivated.userId]);
      const suspended = await signUp(t.http);
      await db.query(`UPDATE tenants SET status = 'suspended' WHERE id = $1`, [suspended.tenantId]);

      for (const account of [deactivated, suspended]) {
        const response = await t.http().get('/api/user').set(bearer(account.token)).expect(401);
        expect(response.body.code).toBe('ACCOUNT_INACTIVE');
        const login = await t
          .http()
          .post('/api/auth/login')
          .send({ email: account.email, password: PASSWORD });
        expect(login.status).toBe(401);
        expect(login.body.code).toBe('ACCOUNT_INACTIVE');
      }
    });
  });
});
