import { DataSource } from 'typeorm';
import { KeyUsageRecorder } from '@/api-keys/key-usage.recorder';
import { ERRORS, ErrorCode } from '@/common/errors';
import { TestApp, startApp } from './support/app';
import { bearer, createKey, signUp } from './support/factories';

const FORBIDDEN = {
  statusCode: 403,
  error: 'Forbidden',
  code: 'FORBIDDEN',
  message: "You don't have permission to access this resource",
};

function unauthorized(code: ErrorCode) {
  return { statusCode: 401, error: 'Unauthorized', code, message: ERRORS[code].message };
}

describe('API keys', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  describe('creating', () => {
    it('answers 201 with the full key once, in the documented format', async () => {
      const admin = await signUp(t.http);
      const response = await t
        .http()
        .post('/api/api-keys')
        .set(bearer(admin.token))
        .send({ name: '  Zapier integration  ', environment: 'test' })
        .expect(201);
      expect(response.body).toEqual({
        key: expect.stringMatching(/^prv_test_[0-9a-zA-Z]{32}$/),
        id: expect.any(String),
        name: 'Zapier integration',
        hint: `prv_test_…${(response.body.key as string).slice(-4)}`,
        environment: 'test',
        scopes: null,
        createdAt: expect.any(String),
        lastUsedAt: null,
        expiresAt: null,
        status: 'active',
        revokedAt: null,
      });
      const live = await createKey(t.http, admin.token);
      expect(live.key).toMatch(/^prv_live_/);
    });

    it('never returns or stores the key again: list, get, audit, every column of every table', async () => {
      const admin = await signUp(t.http);
      const created = await createKey(t.http, admin.token);
      await t.http().get('/api/user').set(bearer(created.key)).expect(200);
      await t.app.get(KeyUsageRecorder).flush();

      const answers = await Promise.all([
        t.http().get('/api/api-keys').set(bearer(admin.token)),
        t.http().get(`/api/api-keys/${created.id}`).set(bearer(admin.token)),
        t.http().get('/api/tenant/api-keys').set(bearer(admin.token)),
        t.http().get('/api/audit-events').set(bearer(admin.token)),
      ]);
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(answer.text).toContain(created.id);
        expect(answer.text).not.toContain(created.key);
        expect(answer.text).not.toContain(created.key.slice(9, -4));
      }

      const db = t.app.get(DataSource);
      const tables: { table_name: string }[] = await db.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
      );
      for (const { table_name } of tables) {
        const rows: unknown[] = await db.query(`SELECT * FROM "${table_name}"`);
        expect(JSON.stringify(rows)).not.toContain(created.key.slice(9, -4));
      }
    });

    it.each([
      ['no name', {}],
      ['an empty name', { name: '   ' }],
      ['a name over 100 characters', { name: 'x'.repeat(101) }],
      ['an unknown environment', { name: 'k', environment: 'prod' }],
      ['an unknown scope', { name: 'k', scopes: ['projects:read', 'root'] }],
      ['an expiry in the past', { name: 'k', expiresAt: '2020-01-01T00:00:00Z' }],
      ['an expiry that is not a date', { name: 'k', expiresAt: 'tomorrow' }],
      // PostgreSQL would store it, but no RFC 3339 date-time can say it back.
      ['an expiry after the year 9999', { name: 'k', expiresAt: '+020000-01-01T00:00:00Z' }],
      [
        'a field that does not exist',
        { name: 'k', userId: '00000000-0000-4000-8000-000000000000' },
      ],
    ])('refuses %s with 400', async (_, body) => {
      const admin = await signUp(t.http);
      const response = await t
        .http()
        .post('/api/api-keys')
        .set(bearer(admin.token))
        .send(body)
        .expect(400);
      expect(response.body.error).toBe('Bad Request');
    });
  });

  describe('authenticating', () => {
    it('accepts the key as "Bearer <key>" and as the bare header, acting as its owner', async () => {
      const admin = await signUp(t.http);
      const { key } = await createKey(t.http, admin.token);
      for (const authorization of [`Bearer ${key}`, `bearer ${key}`, key]) {
        const me = await t.http().get('/api/user').set('Authorization', authorization).expect(200);
        expect(me.body).toMatchObject({
          id: admin.userId,
          email: admin.email,
          tenantId: admin.tenantId,
        });
      }
    });

    it('refuses keys with a bad checksum, unknown keys and keys in the query string', async () => {
      const admin = await signUp(t.http);
      const { key } = await createKey(t.http, admin.token);
      const flipped = key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a');
      const other = await createKey(t.http, admin.token);
      await t.http().post(`/api/api-keys/${other.id}/revoke`).set(bearer(admin.token)).expect(200);
      for (const credential of [flipped, 'prv_live_794df9bu824e7d0176e079940e0915le', other.key]) {
        const response = await t.http().get('/api/user').set(bearer(credential)).expect(401);
        expect(response.body).toEqual(unauthorized('INVALID_API_KEY'));
      }
      const query = await t.http().get(`/api/user?access_token=${key}`).expect(401);
      expect(query.body.code).toBe('MISSING_CREDENTIAL');
    });

    it('records lastUsedAt without a write per request, and writes it in one batch', async () => {
      const admin = await signUp(t.http);
      const created = await createKey(t.http, admin.token);
      const before = Date.now();
      await t.http().get('/api/user').set(bearer(created.key)).expect(200);

      const shown = await t
        .http()
        .get(`/api/api-keys/${created.id}`)
        .set(bearer(admin.token))
        .expect(200);
      expect(new Date(shown.body.lastUsedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);

      const db = t.app.get(DataSource);
      const stored = async () => {
        const rows = await db.query<{ last_used_at: Date | null }[]>(
          'SELECT last_used_at FROM api_keys WHERE id = $1',
          [created.id],
        );
        return rows[0].last_used_at;
      };
      expect(await stored()).toBeNull();
      await t.app.get(KeyUsageRecorder).flush();
      expect((await stored())?.getTime()).toBeGreaterThanOrEqual(before - 1000);
    });
  });

  describe('revoking', () => {
    it('refuses the key on the very next request, for good, and says so in the list', async () => {
      const admin = await signUp(t.http);
      const created = await createKey(t.http, admin.token);
      await t.http().get('/api/user').set(bearer(created.key)).expect(200);

      const revoked = await t
        .http()
        .post(`/api/api-keys/${created.id}/revoke`)
        .set(bearer(admin.token))
        .expect(200);
      expect(revoked.body).toMatchObject({
        id: created.id,
        status: 'revoked',
        revokedAt: expect.any(String),
      });
      expect(revoked.body.key).toBeUndefined();

      const refused = await t.http().get('/api/user').set(bearer(created.key)).expect(401);
      expect(refused.body).toEqual(unauthorized('INVALID_API_KEY'));

      const again = await t
        .http()
        .post(`/api/api-keys/${created.id}/revoke`)
        .set(bearer(admin.token));
      expect(again.status).toBe(200);
      expect(again.body.revokedAt).toBe(revoked.body.revokedAt);

      const list = await t.http().get('/api/api-keys').set(bearer(admin.token)).expect(200);
      expect(list.body.find((k: { id: string }) => k.id === created.id).status).toBe('revoked');
    });

    it('lets a key revoke itself, and refuses it right after', async () => {
      const admin = await signUp(t.http);
      const created = await createKey(t.http, admin.token);
      await t
        .http()
        .post(`/api/api-keys/${created.id}/revoke`)
        .set(bearer(created.key))
        .expect(200);
      await t.http().get('/api/api-keys').set(bearer(created.key)).expect(401);
    });
  });

  describe('the plan limit', () => {
    it('refuses the 6th active key on the standard plan with 409 naming the limit', async () => {
      const admin = await signUp(t.http);
      const keys = [];
      for (let i = 0; i < 5; i++)
        keys.push(await createKey(t.http, admin.token, { name: `k${i}` }));
      const sixth = await t
        .http()
        .post('/api/api-keys')
        .set(bearer(admin.token))
        .send({ name: 'k5' })
        .expect(409);
      expect(sixth.body).toEqual({
        statusCode: 409,
        error: 'Conflict',
        code: 'KEY_LIMIT_REACHED',
        message: expect.stringContaining('the standard plan allows 5 active keys per user'),
      });

      await t
        .http()
        .post(`/api/api-keys/${keys[0].id}/revoke`)
        .set(bearer(admin.token))
        .expect(200);
      await createKey(t.http, admin.token, { name: 'after revoke' });
    });

    it('holds when creates race for the last places', async () => {
      const admin = await signUp(t.http);
      for (let i = 0; i < 3; i++) await createKey(t.http, admin.token, { name: `k${i}` });
      const racing = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          t
            .http()
            .post('/api/api-keys')
            .set(bearer(admin.token))
            .send({ name: `race ${i}` }),
        ),
      );
      expect(racing.map((r) => r.status).sort()).toEqual([201, 201, 409, 409, 409, 409]);
      const list = await t.http().get('/api/api-keys').set(bearer(admin.token)).expect(200);
      expect(list.body.filter((k: { status: string }) => k.status === 'active')).toHaveLength(5);
    });

    it('is not bypassed by chains of rotations with a grace period', async () => {
      const admin = await signUp(t.http);
      let key = await createKey(t.http, admin.token, { name: 'chain' });
      for (let i = 0; i < 4; i++) await createKey(t.http, admin.token, { name: `k${i}` });
      const first = await t
        .http()
        .post(`/api/api-keys/${key.id}/rotate`)
        .set(bearer(admin.token))
        .send({ gracePeriodSeconds: 3600 })
        .expect(201);
      key = first.body;
      const second = await t
        .http()
        .post(`/api/api-keys/${key.id}/rotate`)
        .set(bearer(admin.token))
        .send({ gracePeriodSeconds: 3600 });
      expect(second.status).toBe(409);
      const list = await t.http().get('/api/api-keys').set(bearer(admin.token)).expect(200);
      expect(list.body.filter((k: { status: string }) => k.status === 'active')).toHaveLength(6);
    });

    it('does not count expired keys', async () => {
      const admin = await signUp(t.http);
      const soon = new Date(Date.now() + 1500).toISOString();
      for (let i = 0; i < 5; i++)
        await createKey(t.http, admin.token, { name: `k${i}`, expiresAt: soon });
      await sleep(1600);
      await createKey(t.http, admin.token, { name: 'after expiry' });
    });
  });

  describe('expiry', () => {
    it('answers "API key expired" once expiresAt has passed, and lists the key as expired', async () => {
      const admin = await signUp(t.http);
      const created = await createKey(t.http, admin.token, {
        expiresAt: new Date(Date.now() + 1500).toISOString(),
      });
      await t.http().get('/api/user').set(bearer(created.key)).expect(200);
      await sleep(1600);
      const refused = await t.http().get('/api/user').set(bearer(created.key)).expect(401);
      expect(refused.body).toEqual(unauthorized('API_KEY_EXPIRED'));
      const shown = await t
        .http()
        .get(`/api/api-keys/${created.id}`)
        .set(bearer(admin.token))
        .expect(200);
      expect(shown.body.status).toBe('expired');
    });
  });

  describe('rotating', () => {
    it('issues a new key with the same name and scopes; the old one stops at once by default', async () => {
      const admin = await signUp(t.http);
      const old = await createKey(t.http, admin.token, {
        name: 'ci',
        scopes: ['projects:read', 'api-keys:read'],
      });
      await t.http().get('/api/user').set(bearer(old.key)).expect(200);
      const rotated = await t
        .http()
        .post(`/api/api-keys/${old.id}/rotate`)
        .set(bearer(admin.token))
        .send({})
        .expect(201);
      expect(rotated.body).toMatchObject({
        name: 'ci',
        scopes: ['projects:read', 'api-keys:read'],
        status: 'active',
      });
      expect(rotated.body.key).not.toBe(old.key);
      expect(rotated.body.id).not.toBe(old.id);

      await t.http().get('/api/user').set(bearer(rotated.body.key)).expect(200);
      const refused = await t.http().get('/api/user').set(bearer(old.key)).expect(401);
      expect(refused.body.code).toBe('API_KEY_EXPIRED');
    });

    it('keeps the old key working through the grace period', async () => {
      const admin = await signUp(t.http);
      const old = await createKey(t.http, admin.token);
      const rotated = await t
        .http()
        .post(`/api/api-keys/${old.id}/rotate`)
        .set(bearer(admin.token))
        .send({ gracePeriodSeconds: 3600 })
        .expect(201);
      await t.http().get('/api/user').set(bearer(old.key)).expect(200);
      await t.http().get('/api/user').set(bearer(rotated.body.key)).expect(200);
      const shown = await t
        .http()
        .get(`/api/api-keys/${old.id}`)
        .set(bearer(admin.token))
        .expect(200);
      expect(new Date(shown.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 3500_000);
    });

    it('lets exactly one of two simultaneous rotations win', async () => {
      const admin = await signUp(t.http);
      const old = await createKey(t.http, admin.token);
      const both = await Promise.all(
        [0, 1].map(() =>
          t.http().post(`/api/api-keys/${old.id}/rotate`).set(bearer(admin.token)).send({}),
        ),
      );
      expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
      const again = await t
        .http()
        .post(`/api/api-keys/${old.id}/rotate`)
        .set(bearer(admin.token))
        .send({});
      expect(again.status).toBe(409);
    });

    it('refuses a negative or huge grace period', async () => {
      const admin = await signUp(t.http);
      const old = await createKey(t.http, admin.token);
      for (const gracePeriodSeconds of [-1, 10 ** 9, 'soon']) {
        await t
          .http()
          .post(`/api/api-keys/${old.id}/rotate`)
          .set(bearer(admin.token))
          .send({ gracePeriodSeconds })
          .expect(400);
      }
    });
  });

  describe('scopes', () => {
    it('narrow what a key may do, with the exact 403 body', async () => {
      const admin = await signUp(t.http);
      const readOnly = await createKey(t.http, admin.token, { scopes: ['api-keys:read'] });
      await t.http().get('/api/api-keys').set(bearer(readOnly.key)).expect(200);
      const audit = await t.http().get('/api/audit-events').set(bearer(readOnly.key)).expect(403);
      expect(audit.body).toEqual(FORBIDDEN);
      const create = await t
        .http()
        .post('/api/api-keys')
        .set(bearer(readOnly.key))
        .send({ name: 'x' })
        .expect(403);
      expect(create.body).toEqual(FORBIDDEN);
    });

    it('cannot be emptied into "everything" or widened by rotating a broader key', async () => {
      const admin = await signUp(t.http);
      const full = await createKey(t.http, admin.token, { name: 'full' });
      const narrow = await createKey(t.http, admin.token, {
        scopes: ['api-keys:read', 'api-keys:write'],
      });
      await t
        .http()
        .post('/api/api-keys')
        .set(bearer(narrow.key))
        .send({ name: 'empty', scopes: [] })
        .expect(400);
      const rotate = await t
        .http()
        .post(`/api/api-keys/${full.id}/rotate`)
        .set(bearer(narrow.key))
        .send({})
        .expect(403);
      expect(rotate.body).toEqual(FORBIDDEN);
      await t.http().get('/api/audit-events').set(bearer(full.key)).expect(200);
    });

    it('cannot be widened by a scoped key creating another key', async () => {
      const admin = await signUp(t.http);
      const scoped = await createKey(t.http, admin.token, {
        scopes: ['api-keys:read', 'api-keys:write'],
      });
      const child = await createKey(t.http, scoped.key);
      expect(child.scopes?.sort()).toEqual(['api-keys:read', 'api-keys:write']);
      await t.http().get('/api/audit-events').set(bearer(child.key)).expect(403);
      const wider = await t
        .http()
        .post('/api/api-keys')
        .set(bearer(scoped.key))
        .send({ name: 'wider', scopes: ['audit:read'] })
        .expect(400);
      expect(wider.body.message).toContain('audit:read');
    });
  });

  describe('tenants', () => {
    it("answer 404 for another tenant's key on every route, and never list it", async () => {
      const mine = await signUp(t.http, 'mine');
      const theirs = await signUp(t.http, 'theirs');
      const theirKey = await createKey(t.http, theirs.token);
      const http = t.http;
      const responses = await Promise.all([
        http().get(`/api/api-keys/${theirKey.id}`).set(bearer(mine.token)),
        http().post(`/api/api-keys/${theirKey.id}/revoke`).set(bearer(mine.token)),
        http().post(`/api/api-keys/${theirKey.id}/rotate`).set(bearer(mine.token)).send({}),
      ]);
      for (const response of responses) {
        expect(response.status).toBe(404);
        expect(response.body).toEqual({
          statusCode: 404,
          error: 'Not Found',
          code: 'NOT_FOUND',
          message: 'API key not found',
        });
      }
      await http().get('/api/user').set(bearer(theirKey.key)).expect(200);

      for (const path of ['/api/api-keys', '/api/tenant/api-keys', '/api/audit-events']) {
        const list = await http().get(path).set(bearer(mine.token)).expect(200);
        expect(list.text).not.toContain(theirKey.id);
      }
    });

    it('answer 400 for an id that is not a uuid', async () => {
      const admin = await signUp(t.http);
      await t.http().get('/api/api-keys/not-a-uuid').set(bearer(admin.token)).expect(400);
    });
  });

  describe('the tenant-wide list and the audit trail (admins)', () => {
    it('list every key with its owner, and events for create, revoke and rotate with hints', async () => {
      const admin = await signUp(t.http);
      const a = await createKey(t.http, admin.token, { name: 'a' });
      const b = await createKey(t.http, admin.token, { name: 'b' });
      await t.http().post(`/api/api-keys/${a.id}/revoke`).set(bearer(admin.token)).expect(200);
      await t.http().post(`/api/api-keys/${b.id}/rotate`).set(bearer(b.key)).send({}).expect(201);

      const keys = await t
        .http()
        .get('/api/tenant/api-keys?limit=2')
        .set(bearer(admin.token))
        .expect(200);
      expect(keys.body.items).toHaveLength(2);
      expect(keys.body.items[0].owner).toEqual({ id: admin.userId, email: admin.email });
      const rest = await t
        .http()
        .get(`/api/tenant/api-keys?limit=2&cursor=${keys.body.nextCursor}`)
        .set(bearer(admin.token))
        .expect(200);
      expect(rest.body.items).toHaveLength(1);
      expect(rest.body.nextCursor).toBeNull();

      const events = await t.http().get('/api/audit-events').set(bearer(admin.token)).expect(200);
      expect(events.body.items.map((e: { action: string }) => e.action)).toEqual([
        'api_key.rotated',
        'api_key.revoked',
        'api_key.created',
        'api_key.created',
      ]);
      const rotated = events.body.items[0];
      expect(rotated).toMatchObject({
        actorUserId: admin.userId,
        actorApiKeyId: b.id,
        targetType: 'api_key',
        targetId: b.id,
        details: { name: 'b', hint: b.hint, gracePeriodSeconds: 0 },
      });
      expect(events.body.items[1]).toMatchObject({ actorApiKeyId: null, targetId: a.id });
    });

    it('answer a forged cursor with 400', async () => {
      const admin = await signUp(t.http);
      await t.http().get('/api/audit-events?cursor=garbage').set(bearer(admin.token)).expect(400);
      await t.http().get('/api/audit-events?limit=1000').set(bearer(admin.token)).expect(400);
    });
  });
});
