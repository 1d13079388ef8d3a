import request from 'supertest';
import { testEnv } from './support/app';
import { addUser, bearer, createKey, logIn, setUserStatus, signUp } from './support/factories';
import { ServerProcess, startServer } from './support/server-process';

/**
 * Two instances of the production build, each its own process on its own port, sharing
 * PostgreSQL and Redis as behind a load balancer. Runs when the suite runs on real services
 * (TEST_DATABASE_URL and TEST_REDIS_URL; see jest.config.js): the embedded database serves a
 * single instance by design.
 */
describe('Several instances (PostgreSQL + Redis)', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  const on = (server: ServerProcess) => () => request(server.url);

  beforeAll(async () => {
    const env = testEnv({ LOG_LEVEL: 'warn', PLAN_STANDARD_RPM: '100' });
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
  }, 120_000);
  afterAll(() => Promise.all([a?.stop(), b?.stop()]));

  it('share Redis', async () => {
    for (const server of [a, b]) {
      const ready = await on(server)().get('/health/ready').expect(200);
      expect(ready.body.rateLimits).toEqual({ store: 'redis', redis: 'up', localFallbacks: 0 });
    }
  });

  it('allow one account exactly its 100 requests a minute between them, however many arrive at once', async () => {
    const admin = await signUp(on(a));
    const responses = await Promise.all(
      Array.from({ length: 300 }, (_, n) =>
        fetch(`${n % 2 ? a.url : b.url}/api/user`, { headers: bearer(admin.token) }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(100);
    expect(statuses.filter((status) => status === 429)).toHaveLength(200);
    for (const server of [a, b]) {
      const refused = await on(server)().get('/api/user').set(bearer(admin.token)).expect(429);
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    }
  });

  it('refuse a key on instance B on the next request after instance A revoked it', async () => {
    const admin = await signUp(on(a));
    const created = await createKey(on(a), admin.token);
    await on(b)().get('/api/user').set(bearer(created.key)).expect(200);
    await on(b)().get('/api/user').set(bearer(created.key)).expect(200);

    await on(a)().post(`/api/api-keys/${created.id}/revoke`).set(bearer(admin.token)).expect(200);

    const refused = await on(b)().get('/api/user').set(bearer(created.key)).expect(401);
    expect(refused.body.code).toBe('INVALID_API_KEY');
  });

  it('stop an old key on instance B right after instance A rotated it', async () => {
    const admin = await signUp(on(a));
    const created = await createKey(on(a), admin.token);
    await on(b)().get('/api/user').set(bearer(created.key)).expect(200);

    const rotated = await on(a)()
      .post(`/api/api-keys/${created.id}/rotate`)
      .set(bearer(admin.token))
      .send({});
    expect(rotated.status).toBe(201);

    await on(b)().get('/api/user').set(bearer(created.key)).expect(401);
    await on(b)().get('/api/user').set(bearer(rotated.body.key)).expect(200);
  });

  it('refuse an access token on instance B on the next request after it logged out on A', async () => {
    const admin = await signUp(on(a));
    const other = await logIn(on(b), admin.email);
    await on(b)().get('/api/user').set(bearer(admin.token)).expect(200);
    await on(b)().get('/api/user').set(bearer(admin.token)).expect(200);

    await on(a)().post('/api/auth/logout').set(bearer(admin.token)).expect(204);

    const refused = await on(b)().get('/api/user').set(bearer(admin.token)).expect(401);
    expect(refused.body.code).toBe('SESSION_ENDED');
    await on(b)().get('/api/user').set(bearer(other.accessToken)).expect(200);
  });

  it('refuse every session of a user on instance B right after a deactivation on A', async () => {
    const admin = await signUp(on(a));
    const member = await addUser(on(a), admin.token, 'member');
    await on(b)().get('/api/user').set(bearer(member.token)).expect(200);
    await setUserStatus(on(a), admin.token, member.id, 'deactivated');
    await setUserStatus(on(a), admin.token, member.id, 'active');
    const refused = await on(b)().get('/api/user').set(bearer(member.token)).expect(401);
    expect(refused.body.code).toBe('SESSION_ENDED');
  });
});
