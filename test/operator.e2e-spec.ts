import { TestApp, startApp } from './support/app';
import { bearer, createKey, signUp } from './support/factories';
import { Mailer } from '@/mail/mailer.service';

const OPERATOR_TOKEN = 'operator-token-for-the-e2e-suite-0123456789';

describe('The operator API', () => {
  let t: TestApp;
  const operator = { Authorization: `Bearer ${OPERATOR_TOKEN}` };

  beforeAll(async () => {
    t = await startApp({ OPERATOR_TOKEN });
  });
  afterAll(() => t.close());

  it('answers only the operator token: not none, not a wrong one of the same length, not a tenant admin', async () => {
    const admin = await signUp(t.http);
    const key = await createKey(t.http, admin.token);
    const wrong = OPERATOR_TOKEN.slice(0, -1) + (OPERATOR_TOKEN.endsWith('9') ? '8' : '9');
    for (const headers of [
      {},
      bearer(wrong),
      bearer(admin.token),
      bearer(key.key),
      { Authorization: OPERATOR_TOKEN },
    ]) {
      const list = await t.http().get('/api/operator/tenants').set(headers);
      expect(list.status).toBe(401);
      expect(list.body.code).toBe('MISSING_CREDENTIAL');
      const patch = await t
        .http()
        .patch(`/api/operator/tenants/${admin.tenantId}`)
        .set(headers)
        .send({ plan: 'enterprise' });
      expect(patch.status).toBe(401);
    }
    const tenant = await t.http().get('/api/tenant').set(bearer(admin.token)).expect(200);
    expect(tenant.body.plan).toBe('standard');
  });

  it('lists tenants, newest first, paged', async () => {
    const a = await signUp(t.http, 'first');
    const b = await signUp(t.http, 'second');
    const page = await t.http().get('/api/operator/tenants?limit=2').set(operator).expect(200);
    expect(page.body.items.map((x: { id: string }) => x.id)).toEqual([b.tenantId, a.tenantId]);
    expect(page.body.items[0]).toMatchObject({
      plan: 'standard',
      status: 'active',
      limits: { requestsPerMinute: 100, maxActiveKeysPerUser: 5 },
      overrides: { requestsPerMinute: null, maxActiveKeysPerUser: null },
    });
    expect(page.body.nextCursor).toEqual(expect.any(String));
  });

  it('lifts the key limit at once when the plan changes to enterprise, and audits it', async () => {
    const admin = await signUp(t.http);
    for (let i = 0; i < 5; i++) await createKey(t.http, admin.token, { name: `k${i}` });
    await t
      .http()
      .post('/api/api-keys')
      .set(bearer(admin.token))
      .send({ name: 'sixth' })
      .expect(409);

    const changed = await t
      .http()
      .patch(`/api/operator/tenants/${admin.tenantId}`)
      .set(operator)
      .send({ plan: 'enterprise' })
      .expect(200);
    expect(changed.body).toMatchObject({
      plan: 'enterprise',
      limits: { requestsPerMinute: 1000, maxActiveKeysPerUser: null },
    });

    await createKey(t.http, admin.token, { name: 'sixth' });
    const tenant = await t.http().get('/api/tenant').set(bearer(admin.token)).expect(200);
    expect(tenant.body.limits).toEqual({ requestsPerMinute: 1000, maxActiveKeysPerUser: null });
    const events = await t.http().get('/api/audit-events').set(bearer(admin.token)).expect(200);
    expect(
      events.body.items.find((e: { action: string }) => e.action === 'tenant.plan_changed'),
    ).toMatchObject({
      actorUserId: null,
      targetId: admin.tenantId,
      details: { from: 'standard', to: 'enterprise' },
    });
  });

  it('applies limit overrides at once, and clears them with null', async () => {
    const admin = await signUp(t.http);
    await createKey(t.http, admin.token, { name: 'one' });
    await t
      .http()
      .patch(`/api/operator/tenants/${admin.tenantId}`)
      .set(operator)
      .send({ limits: { maxActiveKeysPerUser: 1, requestsPerMinute: 7 } })
      .expect(200);
    const refused = await t
      .http()
      .post('/api/api-keys')
      .set(bearer(admin.token))
      .send({ name: 'two' })
      .expect(409);
    expect(refused.body.message).toContain('allows 1 active keys per user');
    const tenant = await t.http().get('/api/tenant').set(bearer(admin.token)).expect(200);
    expect(tenant.body.limits).toEqual({ requestsPerMinute: 7, maxActiveKeysPerUser: 1 });

    await t
      .http()
      .patch(`/api/operator/tenants/${admin.tenantId}`)
      .set(operator)
      .send({ limits: { maxActiveKeysPerUser: null } })
      .expect(200);
    await createKey(t.http, admin.token, { name: 'two' });
  });

  it('stops every key and token of a suspended tenant on the next request, and resumes them', async () => {
    const admin = await signUp(t.http);
    const key = await createKey(t.http, admin.token);
    await t.http().get('/api/user').set(bearer(key.key)).expect(200);
    await t
      .http()
      .patch(`/api/operator/tenants/${admin.tenantId}`)
      .set(operator)
      .send({ status: 'suspended' })
      .expect(200);
    for (const credential of [key.key, admin.token]) {
      const refused = await t.http().get('/api/user').set(bearer(credential)).expect(401);
      expect(refused.body.code).toBe('ACCOUNT_INACTIVE');
    }
    await t
      .http()
      .patch(`/api/operator/tenants/${admin.tenantId}`)
      .set(operator)
      .send({ status: 'active' })
      .expect(200);
    await t.http().get('/api/user').set(bearer(key.key)).expect(200);
  });

  it('refuses bad input with 400 and an unknown tenant with 404', async () => {
    const admin = await signUp(t.http);
    for (const body of [
      { plan: 'gold' },
      { status: 'deleted' },
      { limits: { requestsPerMinute: 0 } },
      { limits: { maxActiveKeysPerUser: 'many' } },
      { name: 'renamed' },
      { limits: [] },
      { limits: 'none' },
      { plan: null },
      { status: null },
    ]) {
      await t
        .http()
        .patch(`/api/operator/tenants/${admin.tenantId}`)
        .set(operator)
        .send(body)
        .expect(400);
    }
    const missing = await t
      .http()
      .patch('/api/operator/tenants/00000000-0000-4000-8000-000000000000')
      .set(operator)
      .send({ plan: 'enterprise' })
      .expect(404);
    expect(missing.body.message).toBe('Tenant not found');
  });

  it("reports this instance's metrics: memory, SQL statements sent, the rate-limit store, mail", async () => {
    await t.http().get('/api/operator/metrics').expect(401);
    const before = await t.http().get('/api/operator/metrics').set(operator).expect(200);
    expect(before.body).toEqual({
      uptimeSeconds: expect.any(Number),
      memory: { rssBytes: expect.any(Number), heapUsedBytes: expect.any(Number) },
      sqlStatements: expect.any(Number),
      rateLimits: expect.objectContaining({ store: t.config.redisUrl ? 'redis' : 'memory' }),
      mail: {
        sent: expect.any(Number),
        failed: 0,
        retried: 0,
        queued: expect.any(Number),
        dropped: 0,
      },
    });
    // A sign-up mails a verification link (to the outbox here): one more mail sent.
    await signUp(t.http);
    await t.app.get(Mailer).idle();
    const after = await t.http().get('/api/operator/metrics').set(operator).expect(200);
    expect(after.body.sqlStatements).toBeGreaterThan(before.body.sqlStatements);
    expect(after.body.mail.sent).toBe(before.body.mail.sent + before.body.mail.queued + 1);
  });
});

describe('The operator API without OPERATOR_TOKEN', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp({ OPERATOR_TOKEN: undefined });
  });
  afterAll(() => t.close());

  it('does not exist: 404 like any unknown route', async () => {
    const response = await t
      .http()
      .get('/api/operator/tenants')
      .set('Authorization', 'Bearer anything')
      .expect(404);
    expect(response.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'NOT_FOUND',
      message: 'Cannot GET /api/operator/tenants',
    });
  });
});
