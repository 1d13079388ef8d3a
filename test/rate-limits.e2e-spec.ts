import { randomInt } from 'node:crypto';
import { Response } from 'supertest';
import { ApiKeyFormat } from '@/api-keys/api-key-format';
import { TestApp, startApp } from './support/app';
import {
  PASSWORD,
  addUser,
  bearer,
  clientIp,
  createKey,
  signUp,
  uniqueEmail,
} from './support/factories';

const OPERATOR_TOKEN = 'operator-token-for-the-rate-limit-suite-0123';
const UNAUTHENTICATED_RPM = 20;

function limitHeaders(response: Response): { limit: number; remaining: number; reset: number } {
  return {
    limit: Number(response.headers['x-ratelimit-limit']),
    remaining: Number(response.headers['x-ratelimit-remaining']),
    reset: Number(response.headers['x-ratelimit-reset']),
  };
}

function expectRefused(response: Response, limit: number, whose: RegExp): void {
  expect(response.status).toBe(429);
  expect(response.body).toEqual({
    statusCode: 429,
    error: 'Too Many Requests',
    code: 'RATE_LIMITED',
    message: `Rate limit exceeded: ${limit} requests per minute ${whose.source}`,
  });
  const retryAfter = Number(response.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(limitHeaders(response)).toEqual({ limit, remaining: 0, reset: retryAfter });
}

describe('Rate limits', () => {
  let t: TestApp;
  const operator = { Authorization: `Bearer ${OPERATOR_TOKEN}` };
  const keys = new ApiKeyFormat('lk');

  beforeAll(async () => {
    t = await startApp({
      OPERATOR_TOKEN,
      TRUST_PROXY: 'true',
      PLAN_STANDARD_RPM: '100',
      PLAN_ENTERPRISE_RPM: '1000',
      UNAUTHENTICATED_RPM: String(UNAUTHENTICATED_RPM),
      API_KEY_PREFIX: 'lk',
    });
  });
  afterAll(() => t.close());

  const signUpFrom = () => signUp(t.http, 'admin', clientIp());

  describe('per account', () => {
    it('shares 100 requests a minute between two keys, a token and every route; the 101st is 429', async () => {
      const admin = await signUpFrom();
      const first = await createKey(t.http, admin.token, { name: 'first' });
      const second = await createKey(t.http, admin.token, { name: 'second' });
      const member = await addUser(t.http, admin.token, 'member', clientIp());
      const credentials = [first.key, second.key, admin.token];
      const routes = ['/api/user', '/api/projects', '/api/tenant', '/api/api-keys'];

      for (let n = 4; n <= 100; n++) {
        const response = await t
          .http()
          .get(routes[n % routes.length])
          .set(bearer(credentials[n % credentials.length]));
        expect(response.status).toBe(200);
        expect(limitHeaders(response).limit).toBe(100);
        expect(limitHeaders(response).remaining).toBe(100 - n);
      }

      for (const credential of credentials) {
        const refused = await t.http().get('/api/user').set(bearer(credential));
        expectRefused(refused, 100, /for this account/);
      }

      const sameTenant = await t.http().get('/api/user').set(bearer(member.token)).expect(200);
      expect(limitHeaders(sameTenant)).toMatchObject({ limit: 100, remaining: 99 });
      const otherTenant = await signUpFrom();
      const other = await t.http().get('/api/user').set(bearer(otherTenant.token)).expect(200);
      expect(limitHeaders(other)).toMatchObject({ limit: 100, remaining: 99 });
    });

    it('counts refused (403) requests, and reports the window on every response', async () => {
      const admin = await signUpFrom();
      const viewer = await addUser(t.http, admin.token, 'viewer', clientIp());
      const forbidden = await t
        .http()
        .post('/api/projects')
        .set(bearer(viewer.token))
        .send({ name: 'nope' })
        .expect(403);
      expect(limitHeaders(forbidden)).toEqual({ limit: 100, remaining: 99, reset: 60 });
      const next = await t.http().get('/api/user').set(bearer(viewer.token)).expect(200);
      expect(limitHeaders(next).remaining).toBe(98);
      expect(limitHeaders(next).reset).toBeGreaterThanOrEqual(59);
    });

    it('gives an enterprise tenant 1,000 a minute', async () => {
      const admin = await signUpFrom();
      await t
        .http()
        .patch(`/api/operator/tenants/${admin.tenantId}`)
        .set(operator)
        .send({ plan: 'enterprise' })
        .expect(200);

      let passed = 0;
      for (let batch = 0; batch < 20; batch++) {
        const responses = await Promise.all(
          Array.from({ length: 50 }, () => t.http().get('/api/user').set(bearer(admin.token))),
        );
        passed += responses.filter((response) => response.status === 200).length;
      }
      expect(passed).toBe(1000);
      const refused = await t.http().get('/api/user').set(bearer(admin.token));
      expectRefused(refused, 1000, /for this account/);
    });

    it("applies a tenant's override at once, lowering and raising", async () => {
      const admin = await signUpFrom();
      for (let n = 0; n < 3; n++) {
        await t.http().get('/api/user').set(bearer(admin.token)).expect(200);
      }
      const lower = { limits: { requestsPerMinute: 5 } };
      await t
        .http()
        .patch(`/api/operator/tenants/${admin.tenantId}`)
        .set(operator)
        .send(lower)
        .expect(200);

      const fourth = await t.http().get('/api/user').set(bearer(admin.token)).expect(200);
      expect(limitHeaders(fourth)).toMatchObject({ limit: 5, remaining: 1 });
      await t.http().get('/api/user').set(bearer(admin.token)).expect(200);
      expectRefused(
        await t.http().get('/api/user').set(bearer(admin.token)),
        5,
        /for this account/,
      );

      await t
        .http()
        .patch(`/api/operator/tenants/${admin.tenantId}`)
        .set(operator)
        .send({ limits: { requestsPerMinute: null } })
        .expect(200);
      const raised = await t.http().get('/api/user').set(bearer(admin.token)).expect(200);
      expect(limitHeaders(raised)).toMatchObject({ limit: 100, remaining: 93 });
    });
  });

  describe('per client IP, without a valid credential', () => {
    it('counts every failed credential; then refuses failing ones, not a valid key', async () => {
      const admin = await signUpFrom();
      const valid = await createKey(t.http, admin.token);
      const from = clientIp();
      const failures: Record<string, string>[] = [
        {},
        bearer(keys.generate('live')),
        // The key with its last character changed (a key that ends in x gets a y).
        bearer(`${valid.key.slice(0, -1)}${valid.key.endsWith('x') ? 'y' : 'x'}`),
        bearer('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'),
        { Authorization: 'Basic dXNlcjpwYXNz' },
      ];

      for (let n = 1; n <= UNAUTHENTICATED_RPM; n++) {
        const response = await t
          .http()
          .get('/api/user')
          .set(from)
          .set(failures[n % failures.length]);
        expect(response.status).toBe(401);
        expect(limitHeaders(response)).toMatchObject({
          limit: UNAUTHENTICATED_RPM,
          remaining: UNAUTHENTICATED_RPM - n,
        });
      }

      const whose = /for unauthenticated requests from this address/;
      for (const failure of failures) {
        expectRefused(
          await t.http().get('/api/user').set(from).set(failure),
          UNAUTHENTICATED_RPM,
          whose,
        );
      }
      // Someone else behind the same address (a NAT) is not punished for it.
      const colleague = await t
        .http()
        .get('/api/user')
        .set(from)
        .set(bearer(valid.key))
        .expect(200);
      expect(limitHeaders(colleague)).toMatchObject({ limit: 100 });
    });

    it('limits logins and signups per address, whatever the password', async () => {
      const admin = await signUpFrom();
      const from = clientIp();
      for (let n = 1; n <= UNAUTHENTICATED_RPM; n++) {
        // Fewer than 5 for one email, which would lock that email at this address.
        const email = n <= 4 ? admin.email : uniqueEmail('nobody');
        const attempt = await t
          .http()
          .post('/api/auth/login')
          .set(from)
          .send({ email, password: `wrong password ${n}` });
        expect(attempt.status).toBe(401);
        expect(limitHeaders(attempt).remaining).toBe(UNAUTHENTICATED_RPM - n);
      }
      const whose = /for unauthenticated requests from this address/;
      const right = await t
        .http()
        .post('/api/auth/login')
        .set(from)
        .send({ email: admin.email, password: PASSWORD });
      expectRefused(right, UNAUTHENTICATED_RPM, whose);
      const signup = await t
        .http()
        .post('/api/auth/signup')
        .set(from)
        .send({ tenantName: 'x', email: 'late@example.test', password: PASSWORD });
      expectRefused(signup, UNAUTHENTICATED_RPM, whose);
      await t
        .http()
        .post('/api/auth/login')
        .set(clientIp())
        .send({ email: admin.email, password: PASSWORD })
        .expect(200);
    });

    it('counts wrong operator tokens, but does not limit the operator', async () => {
      const from = clientIp();
      for (let n = 1; n <= UNAUTHENTICATED_RPM; n++) {
        await t.http().get('/api/operator/tenants').set(from).set(bearer('guess')).expect(401);
      }
      expectRefused(
        await t.http().get('/api/operator/tenants').set(from).set(bearer('guess')),
        UNAUTHENTICATED_RPM,
        /for unauthenticated requests from this address/,
      );

      const operatorFrom = clientIp();
      for (let n = 0; n < UNAUTHENTICATED_RPM + 5; n++) {
        const list = await t
          .http()
          .get('/api/operator/tenants?limit=1')
          .set(operatorFrom)
          .set(operator);
        expect(list.status).toBe(200);
        expect(list.headers['x-ratelimit-limit']).toBeUndefined();
      }
    });

    it('counts an IPv6 client by its /64', async () => {
      const prefix = `2001:db8:${randomInt(65536).toString(16)}:${randomInt(65536).toString(16)}`;
      for (let n = 1; n <= UNAUTHENTICATED_RPM; n++) {
        await t
          .http()
          .get('/api/user')
          .set('X-Forwarded-For', `${prefix}::${n.toString(16)}`)
          .expect(401);
      }
      const sameNetwork = await t.http().get('/api/user').set('X-Forwarded-For', `${prefix}::ffff`);
      expect(sameNetwork.status).toBe(429);
    });

    it('does not limit health checks or the API docs', async () => {
      const from = clientIp();
      for (let n = 0; n <= UNAUTHENTICATED_RPM; n++) {
        await t.http().get('/api/user').set(from);
      }
      await t.http().get('/api/user').set(from).expect(429);
      for (const path of ['/health/live', '/health/ready', '/docs-json']) {
        const response = await t.http().get(path).set(from).expect(200);
        expect(response.headers['x-ratelimit-limit']).toBeUndefined();
      }
    });
  });
});

describe('Rate limits behind a proxy', () => {
  // In this process's memory: every suite's requests come from 127.0.0.1, and in Redis they
  // would share that address's counter.
  const failures = async (app: TestApp, forwardedFor: string[]): Promise<number[]> => {
    const statuses: number[] = [];
    for (const header of forwardedFor) {
      statuses.push((await app.http().get('/api/user').set('X-Forwarded-For', header)).status);
    }
    return statuses;
  };

  it('ignores X-Forwarded-For unless TRUST_PROXY says to believe it', async () => {
    const direct = await startApp({ UNAUTHENTICATED_RPM: '3', REDIS_URL: undefined });
    try {
      const spoofed = ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4'];
      expect(await failures(direct, spoofed)).toEqual([401, 401, 401, 429]);
    } finally {
      await direct.close();
    }
  });

  it('with a hop count, believes only what the trusted proxy added', async () => {
    const behindOne = await startApp({
      UNAUTHENTICATED_RPM: '3',
      REDIS_URL: undefined,
      TRUST_PROXY: '1',
    });
    try {
      const clientWritten = (n: number) => `10.9.9.${n}, 198.51.100.7`;
      expect(await failures(behindOne, [1, 2, 3, 4].map(clientWritten))).toEqual([
        401, 401, 401, 429,
      ]);
      expect(await failures(behindOne, ['10.9.9.1, 198.51.100.8'])).toEqual([401]);
    } finally {
      await behindOne.close();
    }
  });
});
