import { TestApp, startApp } from './support/app';
import { bearer, createKey, signUp } from './support/factories';

/**
 * Two instances sharing PostgreSQL and Redis, as behind a load balancer. Runs when the suite
 * runs on real services (TEST_DATABASE_URL and TEST_REDIS_URL; see jest.config.js): the
 * embedded database serves a single instance by design.
 */
describe('Several instances (PostgreSQL + Redis)', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    [a, b] = await Promise.all([startApp(), startApp()]);
  });
  afterAll(() => Promise.all([a.close(), b.close()]));

  it('run with the Redis invalidation bus', () => {
    expect(a.config.redisUrl).toBeDefined();
  });

  it('refuse a key on instance B on the next request after instance A revoked it', async () => {
    const admin = await signUp(a.http);
    const created = await createKey(a.http, admin.token);
    await b.http().get('/api/user').set(bearer(created.key)).expect(200);
    await b.http().get('/api/user').set(bearer(created.key)).expect(200);

    await a.http().post(`/api/api-keys/${created.id}/revoke`).set(bearer(admin.token)).expect(200);

    const refused = await b.http().get('/api/user').set(bearer(created.key)).expect(401);
    expect(refused.body.message).toBe('Invalid API key');
  });

  it('stop an old key on instance B right after instance A rotated it', async () => {
    const admin = await signUp(a.http);
    const created = await createKey(a.http, admin.token);
    await b.http().get('/api/user').set(bearer(created.key)).expect(200);

    const rotated = await a
      .http()
      .post(`/api/api-keys/${created.id}/rotate`)
      .set(bearer(admin.token))
      .send({});
    expect(rotated.status).toBe(201);

    await b.http().get('/api/user').set(bearer(created.key)).expect(401);
    await b.http().get('/api/user').set(bearer(rotated.body.key)).expect(200);
  });
});
