import { Pool } from 'pg';
import request from 'supertest';
import { TimeoutClosingClient } from '@/database/timeout-closing-client';
import { testEnv } from './support/app';
import { PASSWORD, bearer, createKey, signUp, uniqueEmail } from './support/factories';
import { retry } from './support/retry';
import { ServerProcess, startServer } from './support/server-process';
import { TcpProxy } from './support/tcp-proxy';

const UNAVAILABLE = {
  statusCode: 503,
  error: 'Service Unavailable',
  code: 'UNAVAILABLE',
  message: 'Service unavailable',
};

/** Long enough for any answer the app should give, short enough to tell one from a hang. */
const ANSWER_WITHIN_MS = 5_000;
/**
 * A silent server is given up on after the 2.5 s query timeout, twice for a write (its statement,
 * then the ROLLBACK queued behind it on the same connection), or after the 3 s connect timeout.
 */
const SILENT_ANSWER_WITHIN_MS = 10_000;

/**
 * PostgreSQL going away under a running instance (the production build, in its own process),
 * through a proxy this suite controls: closed connections and refused ones (a stopped or
 * restarted server), and a network that stops delivering (a partition). Runs on real
 * PostgreSQL (TEST_DATABASE_URL; see jest.config.js): the embedded database lives in the process.
 */
describe('The database going away and coming back', () => {
  let proxy: TcpProxy;
  let server: ServerProcess;
  const api = () => request(server.url);

  beforeAll(async () => {
    const database = new URL(process.env.DATABASE_URL!);
    proxy = await TcpProxy.start({ host: database.hostname, port: Number(database.port || 5432) });
    server = await startServer(
      testEnv({
        DATABASE_URL: proxy.in(database.toString()),
        REDIS_URL: undefined,
        LOG_LEVEL: 'warn',
      }),
    );
  }, 60_000);
  afterEach(() => proxy?.resume());
  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
  });

  const ready = () => api().get('/health/ready').timeout({ response: ANSWER_WITHIN_MS });
  const recovered = () =>
    retry('the instance is ready again', async () =>
      (await ready().catch(() => undefined))?.status === 200 ? true : undefined,
    );

  it('answers 503 Service unavailable at once while PostgreSQL is down, and recovers by itself', async () => {
    const admin = await signUp(api);
    const key = await createKey(api, admin.token);
    await api().post('/api/projects').set(bearer(admin.token)).send({ name: 'before' }).expect(201);

    const logged = server.output().length;
    await proxy.cut();

    const needDatabase = [
      api()
        .post('/api/auth/signup')
        .send({
          tenantName: 'during',
          email: uniqueEmail('during'),
          password: PASSWORD,
        }),
      api().post('/api/auth/login').send({ email: admin.email, password: PASSWORD }),
      api().get('/api/projects').set(bearer(admin.token)),
      api().post('/api/projects').set(bearer(admin.token)).send({ name: 'during' }),
      api().post('/api/api-keys').set(bearer(admin.token)).send({ name: 'during' }),
      // Never used, so not cached: checking it needs the database, and "unknown" would be a lie.
      api().get('/api/user').set(bearer(key.key)),
      api().get('/health/ready'),
    ];
    for (const pending of needDatabase) {
      const response = await pending.timeout({ response: ANSWER_WITHIN_MS });
      expect({ url: response.request.url, status: response.status, body: response.body }).toEqual({
        url: response.request.url,
        status: 503,
        body: UNAVAILABLE,
      });
    }
    await api().get('/health/live').timeout({ response: ANSWER_WITHIN_MS }).expect(200);
    // An outage fails every request alike: one warning, not one per request. (Log lines are
    // flushed every second.)
    const warnings = await retry('the outage is logged', () =>
      server.output().slice(logged).includes('Database unavailable')
        ? server
            .output()
            .slice(logged)
            .match(/Database unavailable: [^"]*/g)
        : undefined,
    );
    expect(warnings).toEqual([expect.stringContaining('ECONNREFUSED')]);

    await proxy.resume();
    await recovered();
    await api().get('/api/user').set(bearer(key.key)).expect(200);
    await api().post('/api/projects').set(bearer(key.key)).send({ name: 'after' }).expect(201);
    const projects = await api().get('/api/projects').set(bearer(admin.token)).expect(200);
    expect(projects.body.items.map((p: { name: string }) => p.name)).toEqual(['after', 'before']);
  }, 60_000);

  it('serves warm keys and tokens from cache for at most their 10 s TTL, then answers 503', async () => {
    const admin = await signUp(api);
    const key = await createKey(api, admin.token);
    await api().get('/api/user').set(bearer(key.key)).expect(200);

    await proxy.cut();

    // Cached: the key, and the account behind both the key and the token.
    await api()
      .get('/api/user')
      .set(bearer(key.key))
      .timeout({ response: ANSWER_WITHIN_MS })
      .expect(200);
    await api()
      .get('/api/user')
      .set(bearer(admin.token))
      .timeout({ response: ANSWER_WITHIN_MS })
      .expect(200);
    // Not cached: what the route itself reads.
    const projects = await api()
      .get('/api/projects')
      .set(bearer(key.key))
      .timeout({ response: ANSWER_WITHIN_MS });
    expect(projects.status).toBe(503);

    const expired = await retry(
      'the cached key expires',
      async () => {
        const response = await api()
          .get('/api/user')
          .set(bearer(key.key))
          .timeout({ response: ANSWER_WITHIN_MS });
        return response.status === 200 ? undefined : response;
      },
      { attempts: 60, intervalMs: 250 },
    );
    expect({ status: expired.status, body: expired.body }).toEqual({
      status: 503,
      body: UNAVAILABLE,
    });

    await proxy.resume();
    await recovered();
    await api().get('/api/user').set(bearer(key.key)).expect(200);
  }, 60_000);

  it('does not hang on a database that stops answering, and recovers when it answers again', async () => {
    const admin = await signUp(api);
    const key = await createKey(api, admin.token);
    // Connections in the pool, open but silent once stalled.
    await Promise.all(
      Array.from({ length: 5 }, () => api().get('/api/projects').set(bearer(admin.token))),
    );

    proxy.stall();

    const needDatabase = [
      api().get('/api/projects').set(bearer(admin.token)),
      api().post('/api/projects').set(bearer(admin.token)).send({ name: 'during' }),
      api().get('/api/user').set(bearer(key.key)),
      api().get('/health/ready'),
    ];
    const responses = await Promise.all(
      needDatabase.map((pending) => pending.timeout({ response: SILENT_ANSWER_WITHIN_MS })),
    );
    for (const response of responses) {
      expect({ status: response.status, body: response.body }).toEqual({
        status: 503,
        body: UNAVAILABLE,
      });
    }

    await proxy.resume();
    await recovered();
    await api().get('/api/user').set(bearer(key.key)).expect(200);
    await api().post('/api/projects').set(bearer(key.key)).send({ name: 'after' }).expect(201);
  }, 60_000);
});

describe('A statement the client stopped waiting for', () => {
  const url = process.env.DATABASE_URL!;
  const table = `timeout_probe_${Date.now()}`;
  let admin: Pool;

  beforeAll(async () => {
    admin = new Pool({ connectionString: url, max: 1 });
    await admin.query(`CREATE TABLE ${table} (id int)`);
  });
  afterAll(async () => {
    await admin.query(`DROP TABLE ${table}`);
    await admin.end();
  });

  /**
   * What TypeORM does when a statement times out inside a transaction: its ROLLBACK is lost, the
   * connection goes back to the pool, and the next request's transaction ends in a COMMIT.
   */
  async function abandonThenCommit(Client?: typeof TimeoutClosingClient): Promise<number> {
    const pool = new Pool({ connectionString: url, max: 1, query_timeout: 300, Client });
    pool.on('error', () => undefined); // as TypeORM's pool: a closed connection is only logged
    const first = await pool.connect();
    await first.query('BEGIN');
    await first.query(`INSERT INTO ${table} VALUES (1)`);
    await expect(first.query('SELECT pg_sleep(1)')).rejects.toThrow('Query read timeout');
    first.release();
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // the statement ends meanwhile
    const next = await pool.connect();
    await next.query('BEGIN');
    await next.query('COMMIT');
    next.release();
    await pool.end();
    const { rows } = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    await admin.query(`DELETE FROM ${table}`);
    return rows[0].n;
  }

  it("closes the connection, so the abandoned half is never committed by the next request's COMMIT", async () => {
    // pg's own client reuses the connection, and the half-done insert is committed.
    expect(await abandonThenCommit()).toBe(1);
    expect(await abandonThenCommit(TimeoutClosingClient)).toBe(0);
  });
});
