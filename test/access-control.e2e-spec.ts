import { TestApp, startApp } from './support/app';
import { addUser, bearer, createKey, signUp, setUserStatus } from './support/factories';

const FORBIDDEN = {
  statusCode: 403,
  error: 'Forbidden',
  code: 'FORBIDDEN',
  message: "You don't have permission to access this resource",
};

const ADMIN_ROUTES: [string, string, object?][] = [
  ['get', '/api/users'],
  ['post', '/api/users', { email: 'someone@example.test', role: 'viewer' }],
  ['patch', '/api/users/00000000-0000-4000-8000-000000000000', { role: 'viewer' }],
  ['patch', '/api/tenant', { name: 'Renamed' }],
  ['get', '/api/tenant/api-keys'],
  ['get', '/api/audit-events'],
];

describe('Roles, permissions and the users of a tenant', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  async function call(token: string, [method, path, body]: [string, string, object?]) {
    const request = t.http()[method as 'get'](path).set(bearer(token));
    return body ? request.send(body) : request;
  }

  it('refuses every admin route to members and viewers, by token and by key, with the exact 403', async () => {
    const admin = await signUp(t.http);
    const member = await addUser(t.http, admin.token, 'member');
    const viewer = await addUser(t.http, admin.token, 'viewer');
    const memberKey = await createKey(t.http, member.token);
    const narrowAdminKey = await createKey(t.http, admin.token, { scopes: ['projects:read'] });
    for (const route of ADMIN_ROUTES) {
      for (const credential of [member.token, viewer.token, memberKey.key, narrowAdminKey.key]) {
        const response = await call(credential, route);
        expect({ route, status: response.status, body: response.body }).toEqual({
          route,
          status: 403,
          body: FORBIDDEN,
        });
      }
    }
  });

  it('lets viewers read projects, members write them and only admins delete them', async () => {
    const admin = await signUp(t.http);
    const member = await addUser(t.http, admin.token, 'member');
    const viewer = await addUser(t.http, admin.token, 'viewer');
    const viewerKey = await createKey(t.http, viewer.token);

    const project = await t
      .http()
      .post('/api/projects')
      .set(bearer(member.token))
      .send({ name: 'Apollo' })
      .expect(201);
    expect(project.body.createdBy).toBe(member.id);
    for (const credential of [viewer.token, viewerKey.key]) {
      await t.http().get(`/api/projects/${project.body.id}`).set(bearer(credential)).expect(200);
      const write = await t
        .http()
        .post('/api/projects')
        .set(bearer(credential))
        .send({ name: 'Nope' })
        .expect(403);
      expect(write.body).toEqual(FORBIDDEN);
    }
    const memberDelete = await t
      .http()
      .delete(`/api/projects/${project.body.id}`)
      .set(bearer(member.token))
      .expect(403);
    expect(memberDelete.body).toEqual(FORBIDDEN);
    await t
      .http()
      .patch(`/api/projects/${project.body.id}`)
      .set(bearer(member.token))
      .send({ name: 'Artemis' })
      .expect(200);
    await t.http().delete(`/api/projects/${project.body.id}`).set(bearer(admin.token)).expect(204);
  });

  it('lets viewers read the tenant and manage their own keys', async () => {
    const admin = await signUp(t.http);
    const viewer = await addUser(t.http, admin.token, 'viewer');
    const tenant = await t.http().get('/api/tenant').set(bearer(viewer.token)).expect(200);
    expect(tenant.body).toEqual({
      id: admin.tenantId,
      name: 'admin tenant',
      plan: 'standard',
      limits: { requestsPerMinute: 100, maxActiveKeysPerUser: 5 },
    });
    const key = await createKey(t.http, viewer.token);
    const me = await t.http().get('/api/user').set(bearer(key.key)).expect(200);
    expect(me.body).toMatchObject({ id: viewer.id, role: 'viewer' });
  });

  it("keeps keys to their owner: a member cannot see another's key, an admin can revoke it", async () => {
    const admin = await signUp(t.http);
    const member = await addUser(t.http, admin.token, 'member');
    const other = await addUser(t.http, admin.token, 'member');
    const key = await createKey(t.http, other.token);
    await t.http().get(`/api/api-keys/${key.id}`).set(bearer(member.token)).expect(404);
    await t.http().post(`/api/api-keys/${key.id}/revoke`).set(bearer(member.token)).expect(404);
    await t.http().get(`/api/api-keys/${key.id}`).set(bearer(admin.token)).expect(200);
    await t
      .http()
      .post(`/api/api-keys/${key.id}/rotate`)
      .set(bearer(admin.token))
      .send({})
      .expect(404);
    await t.http().post(`/api/api-keys/${key.id}/revoke`).set(bearer(admin.token)).expect(200);
    await t.http().get('/api/user').set(bearer(key.key)).expect(401);
  });

  it("takes a demoted owner's admin power from their keys and tokens on the next request", async () => {
    const admin = await signUp(t.http);
    const second = await addUser(t.http, admin.token, 'admin');
    const key = await createKey(t.http, second.token);
    await t.http().get('/api/audit-events').set(bearer(key.key)).expect(200);
    await t.http().get('/api/audit-events').set(bearer(second.token)).expect(200);

    const demoted = await t
      .http()
      .patch(`/api/users/${second.id}`)
      .set(bearer(admin.token))
      .send({ role: 'member' })
      .expect(200);
    expect(demoted.body).toMatchObject({ id: second.id, role: 'member', status: 'active' });

    for (const credential of [key.key, second.token]) {
      const refused = await t.http().get('/api/audit-events').set(bearer(credential)).expect(403);
      expect(refused.body).toEqual(FORBIDDEN);
    }
    const me = await t.http().get('/api/user').set(bearer(key.key)).expect(200);
    expect(me.body.role).toBe('member');
  });

  it("stops a deactivated user's keys and tokens on the next request", async () => {
    const admin = await signUp(t.http);
    const member = await addUser(t.http, admin.token, 'member');
    const key = await createKey(t.http, member.token);
    await t.http().get('/api/user').set(bearer(key.key)).expect(200);
    await setUserStatus(t.http, admin.token, member.id, 'deactivated');
    for (const credential of [key.key, member.token]) {
      const refused = await t.http().get('/api/user').set(bearer(credential)).expect(401);
      expect(refused.body.code).toBe('ACCOUNT_INACTIVE');
    }
    await setUserStatus(t.http, admin.token, member.id, 'active');
    await t.http().get('/api/user').set(bearer(key.key)).expect(200);
  });

  it('refuses to demote or deactivate the last active admin (409), and allows it with a second one', async () => {
    const admin = await signUp(t.http);
    for (const change of [{ role: 'member' }, { status: 'deactivated' }]) {
      const response = await t
        .http()
        .patch(`/api/users/${admin.userId}`)
        .set(bearer(admin.token))
        .send(change);
      expect(response.status).toBe(409);
      expect(response.body.message).toBe('The tenant must keep at least one active admin');
    }
    const second = await addUser(t.http, admin.token, 'admin');
    await t
      .http()
      .patch(`/api/users/${admin.userId}`)
      .set(bearer(second.token))
      .send({ role: 'viewer' })
      .expect(200);
    const last = await t
      .http()
      .patch(`/api/users/${second.id}`)
      .set(bearer(second.token))
      .send({ role: 'member' });
    expect(last.status).toBe(409);
  });

  it('lets two admins demoting each other at once leave one admin', async () => {
    const admin = await signUp(t.http);
    const second = await addUser(t.http, admin.token, 'admin');
    const results = await Promise.all([
      t.http().patch(`/api/users/${second.id}`).set(bearer(admin.token)).send({ role: 'member' }),
      t
        .http()
        .patch(`/api/users/${admin.userId}`)
        .set(bearer(second.token))
        .send({ role: 'member' }),
    ]);
    // One wins; the other is refused as the last admin, or finds itself no longer an admin.
    expect(results.map((r) => r.status).sort()[0]).toBe(200);
    expect([403, 409]).toContain(results.map((r) => r.status).sort()[1]);
    const survivor = results[0].status === 200 ? admin : second;
    const users = await t.http().get('/api/users').set(bearer(survivor.token)).expect(200);
    expect(users.body.items.filter((u: { role: string }) => u.role === 'admin')).toHaveLength(1);
  });

  it('does not let a key scoped to users:manage make an admin', async () => {
    const admin = await signUp(t.http);
    const key = await createKey(t.http, admin.token, { scopes: ['users:manage'] });
    const member = await addUser(t.http, admin.token, 'member');
    const make = await t
      .http()
      .post('/api/users')
      .set(bearer(key.key))
      .send({ email: `x-${member.email}`, role: 'admin', password: 'a long enough password' })
      .expect(403);
    expect(make.body).toEqual(FORBIDDEN);
    await t
      .http()
      .patch(`/api/users/${member.id}`)
      .set(bearer(key.key))
      .send({ role: 'admin' })
      .expect(403);
    await setUserStatus(t.http, key.key, member.id, 'deactivated');
  });

  describe('managing users', () => {
    it('adds, lists and changes users, with audit events', async () => {
      const admin = await signUp(t.http);
      const created = await t
        .http()
        .post('/api/users')
        .set(bearer(admin.token))
        .send({ email: '  New.Person@Example.TEST ', role: 'viewer', name: 'New Person' })
        .expect(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        email: 'new.person@example.test',
        name: 'New Person',
        role: 'viewer',
        status: 'active',
        externallyLinked: false,
        createdAt: expect.any(String),
      });
      const noPassword = await t
        .http()
        .post('/api/auth/login')
        .send({ email: 'new.person@example.test', password: 'any password at all' });
      expect(noPassword.status).toBe(401);

      const dup = await t
        .http()
        .post('/api/users')
        .set(bearer(admin.token))
        .send({ email: 'NEW.PERSON@example.test', role: 'viewer' });
      expect(dup.status).toBe(409);

      await t
        .http()
        .patch(`/api/users/${created.body.id}`)
        .set(bearer(admin.token))
        .send({ role: 'member' })
        .expect(200);
      const list = await t.http().get('/api/users?limit=1').set(bearer(admin.token)).expect(200);
      expect(list.body.items).toHaveLength(1);
      expect(list.body.items[0]).toMatchObject({ id: created.body.id, role: 'member' });
      expect(list.body.nextCursor).toEqual(expect.any(String));

      const events = await t.http().get('/api/audit-events').set(bearer(admin.token)).expect(200);
      expect(events.body.items[0]).toMatchObject({
        action: 'user.role_changed',
        actorUserId: admin.userId,
        targetId: created.body.id,
        details: { from: 'viewer', to: 'member' },
      });
      expect(JSON.stringify(events.body)).not.toContain('password');
    });

    it("answers 404 for another tenant's user and never lists it", async () => {
      const mine = await signUp(t.http, 'mine');
      const theirs = await signUp(t.http, 'theirs');
      const response = await t
        .http()
        .patch(`/api/users/${theirs.userId}`)
        .set(bearer(mine.token))
        .send({ role: 'viewer' });
      expect(response.status).toBe(404);
      expect(response.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        code: 'NOT_FOUND',
        message: 'User not found',
      });
      const list = await t.http().get('/api/users').set(bearer(mine.token)).expect(200);
      expect(list.text).not.toContain(theirs.userId);
      const me = await t.http().get('/api/user').set(bearer(theirs.token)).expect(200);
      expect(me.body.role).toBe('admin');
    });

    it('refuses mass assignment: tenantId, plan, status and unknown fields in bodies', async () => {
      const admin = await signUp(t.http);
      const other = await signUp(t.http, 'other');
      const attempts: [string, string, object][] = [
        [
          'post',
          '/api/users',
          { email: 'x@example.test', role: 'viewer', tenantId: other.tenantId },
        ],
        ['patch', `/api/users/${admin.userId}`, { tenantId: other.tenantId }],
        ['patch', `/api/users/${admin.userId}`, { email: 'takeover@example.test' }],
        ['patch', '/api/tenant', { name: 'ok', plan: 'enterprise' }],
        ['patch', '/api/tenant', { name: 'ok', status: 'active' }],
        ['post', '/api/api-keys', { name: 'k', userId: other.userId }],
        [
          'post',
          '/api/auth/signup',
          {
            tenantName: 't',
            email: 'y@example.test',
            password: 'long enough password',
            role: 'viewer',
          },
        ],
      ];
      for (const [method, path, body] of attempts) {
        const response = await t.http()[method as 'post'](path).set(bearer(admin.token)).send(body);
        expect({ path, body, status: response.status }).toEqual({ path, body, status: 400 });
      }
      const tenant = await t.http().get('/api/tenant').set(bearer(admin.token)).expect(200);
      expect(tenant.body.plan).toBe('standard');
      const me = await t.http().get('/api/user').set(bearer(admin.token)).expect(200);
      expect(me.body.tenantId).toBe(admin.tenantId);
    });
  });

  describe('the tenant', () => {
    it('can be renamed by an admin, with an audit event', async () => {
      const admin = await signUp(t.http);
      const renamed = await t
        .http()
        .patch('/api/tenant')
        .set(bearer(admin.token))
        .send({ name: '  Acme 2 ' })
        .expect(200);
      expect(renamed.body).toMatchObject({ id: admin.tenantId, name: 'Acme 2', plan: 'standard' });
      const events = await t.http().get('/api/audit-events').set(bearer(admin.token)).expect(200);
      expect(events.body.items[0]).toMatchObject({
        action: 'tenant.renamed',
        details: { to: 'Acme 2' },
      });
    });
  });
});
