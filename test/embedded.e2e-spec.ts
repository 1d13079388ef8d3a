import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { PASSWORD, bearer, createKey, signUp } from './support/factories';
import { ServerProcess, startServer } from './support/server-process';

/** What `npm start` does with no DATABASE_URL: PGlite in DATA_DIR, a signing secret kept there. */
describe('The embedded database (npm start, no DATABASE_URL)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-data-'));
  let server: ServerProcess | undefined;

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the API, shuts down cleanly on SIGTERM and keeps everything across a restart', async () => {
    server = await startServer({ DATA_DIR: dataDir });
    const account = await signUp(() => request(server!.url));
    expect(await server.stop()).toBe(0);

    const secretFile = join(dataDir, 'jwt-secret');
    expect(readFileSync(secretFile, 'utf8').length).toBeGreaterThanOrEqual(32);
    expect(statSync(secretFile).mode & 0o077).toBe(0);

    server = await startServer({ DATA_DIR: dataDir });
    const http = () => request(server!.url);
    const me = await http().get('/api/user').set(bearer(account.token)).expect(200);
    expect(me.body.email).toBe(account.email);
    await http()
      .post('/api/auth/login')
      .send({ email: account.email, password: PASSWORD })
      .expect(200);

    const created = await createKey(http, account.token);
    await http().get('/api/user').set('Authorization', created.key).expect(200);
    await http().get('/api/user?trace=1').set(bearer(created.key)).expect(200);
    await http().post(`/api/api-keys/${created.id}/revoke`).set(bearer(created.key)).expect(200);
    await http().get('/api/user').set(bearer(created.key)).expect(401);
    expect(await server.stop()).toBe(0);

    const logs = server.output();
    for (const secret of [PASSWORD, account.token, created.key, created.key.slice(9, -4)]) {
      expect(logs).not.toContain(secret);
    }
    const keyRequests = logs
      .split('\n')
      .filter((line) => line.includes('"url":"/api/user"') && line.includes(created.id));
    expect(keyRequests.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(keyRequests[0])).toMatchObject({
      reqId: expect.any(String),
      method: 'GET',
      url: '/api/user',
      statusCode: 200,
      responseTime: expect.any(Number),
      tenantId: account.tenantId,
      userId: account.userId,
      apiKeyId: created.id,
    });
  });

  it('refuses to start with a clear message when a setting is invalid', async () => {
    await expect(
      startServer({ DATA_DIR: dataDir, PORT_IGNORED: '', JWT_TTL_SECONDS: 'soon' }),
    ).rejects.toThrow(/Invalid configuration: JWT_TTL_SECONDS must be a whole number/);
  });
});
