import { TestApp, startApp } from './support/app';
import { bearer, signUp } from './support/factories';

const ERROR_KEYS = ['code', 'error', 'message', 'statusCode'];

describe('The platform: errors, health, documentation', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  describe('errors', () => {
    it('answers an unknown route with 404 in the error shape', async () => {
      const response = await t.http().get('/api/nothing-here').expect(404);
      expect(response.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        code: 'NOT_FOUND',
        message: 'Cannot GET /api/nothing-here',
      });
    });

    it('answers malformed JSON with 400 and no parser internals', async () => {
      const response = await t
        .http()
        .post('/api/auth/login')
        .set('Content-Type', 'application/json')
        .send('{"email": ')
        .expect(400);
      expect(Object.keys(response.body).sort()).toEqual(ERROR_KEYS);
      expect(response.body.message).toMatch(/JSON/);
    });

    it('answers a body over the limit with 413', async () => {
      const response = await t
        .http()
        .post('/api/auth/signup')
        .send({ tenantName: 'x'.repeat(200 * 1024), email: 'a@b.test', password: 'x'.repeat(20) })
        .expect(413);
      expect(response.body).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        code: 'PAYLOAD_TOO_LARGE',
        message: 'Request body is too large',
      });
    });

    it('answers arrays, nulls and nested objects where strings belong with 400, not 500', async () => {
      for (const email of [null, ['a@b.test'], { $ne: '' }, 12]) {
        const response = await t
          .http()
          .post('/api/auth/login')
          .send({ email, password: 'whatever password' });
        expect(response.status).toBe(400);
        expect(Object.keys(response.body).sort()).toEqual([...ERROR_KEYS, 'errors'].sort());
      }
    });

    it('answers values the database cannot store (NUL characters, far dates) with 400', async () => {
      const { token } = await signUp(t.http);
      const nul = await t
        .http()
        .post('/api/projects')
        .set(bearer(token))
        .send({ name: 'nul \u0000 byte' });
      expect(nul.status).toBe(400);
      const signup = await t.http().post('/api/auth/signup').send({
        tenantName: 'x\u0000',
        email: 'nul-byte@example.test',
        password: 'long enough password',
      });
      expect(signup.status).toBe(400);
      const far = await t
        .http()
        .post('/api/api-keys')
        .set(bearer(token))
        .send({ name: 'far', expiresAt: '+300000-01-01T00:00:00Z' });
      expect(far.status).toBe(400);
      for (const response of [nul, signup]) {
        expect(Object.keys(response.body).sort()).toEqual(ERROR_KEYS);
      }
    });

    it('answers strings that are not Unicode (half a surrogate pair) with 400, not 500', async () => {
      // Valid JSON, but no UTF-8 can carry it: validators that re-encode (isEmail) would throw.
      for (const payload of [
        '{"email":"a\\ud800@example.test","password":"whatever password"}',
        '{"email":"a@example.test","password":"x\\udc00y"}',
        '{"\\ud83d":"key","email":"a@example.test","password":"whatever password"}',
      ]) {
        const response = await t
          .http()
          .post('/api/auth/login')
          .set('Content-Type', 'application/json')
          .send(payload);
        expect(response.status).toBe(400);
        expect(response.body).toEqual({
          statusCode: 400,
          error: 'Bad Request',
          code: 'VALIDATION_FAILED',
          message: 'Request body has a string that is not valid Unicode',
        });
      }
    });

    it('answers deeply nested JSON with 400, not a stack overflow', async () => {
      const body = `{"email":${'['.repeat(5000)}${']'.repeat(5000)},"password":"x"}`;
      const response = await t
        .http()
        .post('/api/auth/login')
        .set('Content-Type', 'application/json')
        .send(body)
        .expect(400);
      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'VALIDATION_FAILED',
        message: 'Request body nests deeper than 32 levels',
      });
      const proto = await t
        .http()
        .post('/api/auth/login')
        .set('Content-Type', 'application/json')
        .send('{"email":"a@b.test","password":"x","__proto__":{"admin":true}}');
      expect(proto.status).toBe(400);
    });

    it('answers forged list cursors with 400', async () => {
      const { token } = await signUp(t.http);
      for (const raw of [
        `2020-01-01|${'-'.repeat(36)}`,
        '-271821-04-20T00:00:00.000Z|00000000-0000-4000-8000-000000000000',
      ]) {
        const cursor = Buffer.from(raw).toString('base64url');
        await t.http().get(`/api/projects?cursor=${cursor}`).set(bearer(token)).expect(400);
      }
    });

    it('never shows a stack trace, SQL or internal names', async () => {
      const responses = await Promise.all([
        t.http().post('/api/auth/login').set('Content-Type', 'application/json').send('[[[['),
        t.http().get('/api/user').set('Authorization', 'Bearer a.b.c'),
        t.http().post('/api/auth/signup').send({ tenantName: 'x', email: 'bad', password: 1 }),
      ]);
      for (const response of responses) {
        expect(response.text).not.toMatch(
          /at .+\.(js|ts):\d+|SELECT|INSERT|QueryFailed|TypeORM|node_modules/i,
        );
      }
    });
  });

  describe('requests', () => {
    it('echo a sane X-Request-Id and mint one otherwise', async () => {
      const given = await t
        .http()
        .get('/health/live')
        .set('X-Request-Id', 'trace-abc.123')
        .expect(200);
      expect(given.headers['x-request-id']).toBe('trace-abc.123');
      const minted = await t
        .http()
        .get('/health/live')
        .set('X-Request-Id', 'no spaces <or> brackets allowed')
        .expect(200);
      expect(minted.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('health', () => {
    it('reports liveness and readiness without a credential', async () => {
      await t.http().get('/health/live').expect(200, { status: 'ok' });
      const ready = await t.http().get('/health/ready').expect(200);
      expect(ready.body).toMatchObject({
        status: 'ok',
        rateLimits: { store: t.config.redisUrl ? 'redis' : 'memory' },
      });
    });
  });

  describe('documentation', () => {
    it('serves Swagger UI at /docs', async () => {
      const response = await t.http().get('/docs').redirects(1).expect(200);
      expect(response.text).toContain('swagger-ui');
    });

    it('serves an OpenAPI 3 document with a bearer scheme and documented errors', async () => {
      const document = (await t.http().get('/docs-json').expect(200)).body;
      expect(document.openapi).toMatch(/^3\./);
      expect(document.components.securitySchemes.bearer).toMatchObject({
        type: 'http',
        scheme: 'bearer',
      });
      const me = document.paths['/api/user'].get;
      expect(me.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(me.responses)).toEqual(expect.arrayContaining(['200', '401']));
      expect(document.paths['/api/auth/signup'].post.responses['409']).toBeDefined();
      expect(document.components.schemas.ErrorResponseDto.required).toEqual(
        expect.arrayContaining(['statusCode', 'error', 'message']),
      );
    });

    it('lets "Authorize" with a token work: the documented scheme is what the API accepts', async () => {
      const { token } = await signUp(t.http);
      await t.http().get('/api/user').set(bearer(token)).expect(200);
    });
  });
});
