import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { TEST_JWT_SECRET } from './support/app';
import { PASSWORD, addUser, bearer, createKey, signUp } from './support/factories';
import { ServerProcess, startServer } from './support/server-process';

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

interface InFlight {
  /** Resolves once the server has read the request's headers and is waiting for its body. */
  started: Promise<unknown>;
  /** Sends the body; resolves with the answer. */
  finish: () => Promise<Answer>;
}

/**
 * A request the server is in the middle of: `Expect: 100-continue` makes Node answer
 * "100 Continue" when it hands the request to Fastify, and the body follows only on finish().
 */
function inFlight(url: string, path: string, body: object, authorization?: string): InFlight {
  const payload = JSON.stringify(body);
  const req = httpRequest(`${url}${path}`, {
    method: 'POST',
    agent: false,
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
      expect: '100-continue',
      ...(authorization ? { authorization } : {}),
    },
  });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.once('end', () =>
        resolve({ status: response.statusCode ?? 0, body: JSON.parse(text || '{}') }),
      );
    });
  });
  const started = once(req, 'continue');
  req.flushHeaders();
  return {
    started,
    finish: () => {
      req.end(payload);
      return answer;
    },
  };
}

/** True once nothing accepts connections on the server's port any more. */
async function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  try {
    await once(socket, 'connect');
    return false;
  } catch {
    return true;
  } finally {
    socket.destroy();
  }
}

const targets: [string, () => Record<string, string | undefined>][] = [
  ['the embedded database in DATA_DIR', () => ({})],
];
if (process.env.TEST_DATABASE_KIND === 'postgres') {
  targets.push([
    'PostgreSQL and Redis',
    () => ({
      DATABASE_URL: process.env.DATABASE_URL,
      REDIS_URL: process.env.TEST_REDIS_URL,
      JWT_SECRET: TEST_JWT_SECRET,
    }),
  ]);
}

describe.each(targets)('Graceful shutdown on SIGTERM, on %s', (_, target) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-shutdown-'));
  const env = () => ({ DATA_DIR: dataDir, UNAUTHENTICATED_RPM: '1000000', ...target() });
  let server: ServerProcess | undefined;

  afterAll(async () => {
    await server?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes requests in flight, flushes last use, exits 0; a restart keeps everything', async () => {
    server = await startServer(env());
    const first = server;
    const http = () => request(first.url);
    const admin = await signUp(http);
    const member = await addUser(http, admin.token, 'member');
    const live = await createKey(http, admin.token, { name: 'live' });
    const revoked = await createKey(http, admin.token, { name: 'revoked' });
    const membersKey = await createKey(http, member.token, { name: "member's" });
    const usedInFlight = await createKey(http, admin.token, { name: 'used in flight' });
    await http().post(`/api/api-keys/${revoked.id}/revoke`).set(bearer(admin.token)).expect(200);
    await http().get('/api/user').set('Authorization', revoked.key).expect(401);

    const beforeLastUse = Date.now();
    await http().get('/api/user').set('Authorization', live.key).expect(200);
    await http().get('/api/projects').set(bearer(membersKey.key)).expect(200);

    const requests = [
      inFlight(first.url, '/api/projects', { name: 'made in flight' }, usedInFlight.key),
      inFlight(first.url, '/api/auth/login', { email: member.email, password: PASSWORD }),
      inFlight(first.url, '/api/api-keys', { name: 'made in flight' }, `Bearer ${admin.token}`),
    ];
    await Promise.all(requests.map(({ started }) => started));
    first.terminate();
    // The listener is closed: the server is well into shutting down, and still owes answers.
    while (!(await refusesConnections(first.url))) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const [project, login, key] = await Promise.all(requests.map(({ finish }) => finish()));
    expect(project.status).toBe(201);
    expect(login.status).toBe(200);
    expect(key.status).toBe(201);
    expect(await first.exited).toBe(0);
    const problems = first
      .output()
      .split('\n')
      .filter(
        (line) => line.startsWith('{') && (JSON.parse(line) as { level: number }).level >= 40,
      );
    expect(problems).toEqual([]);

    server = await startServer(env());
    const second = server;
    const again = () => request(second.url);
    const me = await again().get('/api/user').set(bearer(admin.token)).expect(200);
    expect(me.body).toMatchObject({ id: admin.userId, tenantId: admin.tenantId });
    await again()
      .post('/api/auth/login')
      .send({ email: member.email, password: PASSWORD })
      .expect(200);
    const tenant = await again().get('/api/tenant').set(bearer(admin.token)).expect(200);
    expect(tenant.body.id).toBe(admin.tenantId);
    const users = await again().get('/api/users').set(bearer(admin.token)).expect(200);
    expect(JSON.stringify(users.body)).toContain(member.id);

    // Read before this instance uses them: what the last one wrote when it shut down.
    const lastUsed = async (id: string) => {
      const shown = await again().get(`/api/api-keys/${id}`).set(bearer(admin.token)).expect(200);
      return shown.body as { lastUsedAt: string | null; status: string };
    };
    const liveShown = await lastUsed(live.id);
    expect(liveShown.status).toBe('active');
    expect(new Date(liveShown.lastUsedAt ?? 0).getTime()).toBeGreaterThanOrEqual(beforeLastUse);
    const membersShown = await lastUsed(membersKey.id);
    expect(new Date(membersShown.lastUsedAt ?? 0).getTime()).toBeGreaterThanOrEqual(beforeLastUse);
    // Used by a request that was still in flight when SIGTERM came.
    expect((await lastUsed(usedInFlight.id)).lastUsedAt).not.toBeNull();
    expect((await lastUsed(revoked.id)).status).toBe('revoked');

    for (const working of [live.key, membersKey.key, usedInFlight.key, key.body.key as string]) {
      await again().get('/api/user').set('Authorization', working).expect(200);
    }
    const refused = await again().get('/api/user').set('Authorization', revoked.key).expect(401);
    expect(refused.body.code).toBe('INVALID_API_KEY');
    const projects = await again().get('/api/projects').set(bearer(admin.token)).expect(200);
    expect(JSON.stringify(projects.body)).toContain(project.body.id as string);

    expect(await second.stop()).toBe(0);
  }, 120_000);
});
