import { TestApp, startApp } from './support/app';
import { bearer, signUp } from './support/factories';

const ALLOWED = 'https://app.example.test';

describe('Security headers', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it.each([
    ['an answer', '/health/live'],
    ['an error', '/api/user'],
    ['the API docs', '/docs-json'],
    ["the router's own refusal (a path parameter too long)", `/api/projects/${'a'.repeat(200)}`],
  ])('puts them on %s', async (_, path) => {
    const response = await t.http().get(path);
    expect(response.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'strict-transport-security': expect.stringMatching(/^max-age=\d+/),
      'cross-origin-resource-policy': 'same-origin',
      'x-request-id': expect.any(String),
    });
    const csp = response.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('forbids caching API answers, so that a new key shown once is kept nowhere', async () => {
    const { token } = await signUp(t.http);
    const created = await t
      .http()
      .post('/api/api-keys')
      .set(bearer(token))
      .send({ name: 'ci' })
      .expect(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const docs = await t.http().get('/docs').redirects(1).expect(200);
    expect(docs.headers['cache-control']).not.toBe('no-store');
  });

  it('keeps Swagger UI working under its policy: no inline script, every script served', async () => {
    const page = await t.http().get('/docs').redirects(1).expect(200);
    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(body.trim()).toBe('');
      const src = /src="([^"]+)"/.exec(attributes)?.[1];
      expect(src).toBeDefined();
      await t
        .http()
        .get(new URL(src as string, 'http://host/docs').pathname)
        .expect(200);
    }
  });

  it('allows no cross-origin browser calls unless CORS_ORIGINS says so', async () => {
    const preflight = await t
      .http()
      .options('/api/user')
      .set('Origin', ALLOWED)
      .set('Access-Control-Request-Method', 'GET');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const call = await t.http().get('/health/live').set('Origin', ALLOWED).expect(200);
    expect(call.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS with CORS_ORIGINS', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp({ CORS_ORIGINS: `${ALLOWED},http://localhost:5173` });
  });
  afterAll(() => t.close());

  it('answers a preflight from a listed origin, for the Authorization header', async () => {
    const preflight = await t
      .http()
      .options('/api/api-keys')
      .set('Origin', ALLOWED)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/);
    expect(preflight.headers['access-control-allow-methods']).toMatch(/POST/);
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('lets a listed origin read the answer and its rate-limit headers', async () => {
    const { token } = await signUp(t.http);
    const response = await t
      .http()
      .get('/api/user')
      .set('Origin', ALLOWED)
      .set(bearer(token))
      .expect(200);
    expect(response.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(response.headers['access-control-expose-headers']).toMatch(/X-RateLimit-Remaining/);
    expect(response.headers.vary).toMatch(/Origin/);
  });

  it('gives any other origin nothing to read', async () => {
    const response = await t
      .http()
      .get('/health/live')
      .set('Origin', 'https://evil.example.test')
      .expect(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});
