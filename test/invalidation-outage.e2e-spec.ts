import request from 'supertest';
import { testEnv } from './support/app';
import { bearer, createKey, signUp } from './support/factories';
import { RedisServer } from './support/redis-server';
import { retry } from './support/retry';
import { ServerProcess, freePort, startServer } from './support/server-process';
import { TcpProxy } from './support/tcp-proxy';

const CHANNEL = 'latchkey:invalidations';
const ANSWER_WITHIN_MS = 5_000;
/** Cached keys and accounts live 10 s (README: the request path); checked every 250 ms. */
const WITHIN_CACHE_TTL = { attempts: 60, intervalMs: 250 };

/**
 * Revocations across two instances (production builds, own processes) when Redis pub/sub
 * breaks. Instance A talks to this suite's own redis-server directly; instance B through a
 * proxy, so that B alone can be cut off. Runs with TEST_DATABASE_URL and TEST_REDIS_URL (see
 * jest.config.js), like the other suites that need several instances and redis-server.
 */
describe('Revocations when Redis pub/sub breaks', () => {
  let redis: RedisServer;
  let toRedisFromB: TcpProxy;
  let a: ServerProcess;
  let b: ServerProcess;
  const on = (server: ServerProcess) => () => request(server.url);

  beforeAll(async () => {
    redis = await RedisServer.start(await freePort());
    toRedisFromB = await TcpProxy.start({ host: '127.0.0.1', port: redis.port });
    // The last test makes many requests for one account within the minute.
    const env = testEnv({ LOG_LEVEL: 'warn', PLAN_STANDARD_RPM: '100000' });
    [a, b] = await Promise.all([
      startServer({ ...env, REDIS_URL: redis.url }),
      startServer({ ...env, REDIS_URL: toRedisFromB.in(redis.url) }),
    ]);
  }, 120_000);
  afterEach(async () => {
    redis?.resume();
    if (redis && !redis.running) await redis.restart();
    await toRedisFromB?.resume();
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await toRedisFromB?.close();
    await redis?.kill();
  });

  const user = (server: ServerProcess, key: string) =>
    on(server)().get('/api/user').set(bearer(key)).timeout({ response: ANSWER_WITHIN_MS });
  const revoke = (token: string, id: string) =>
    on(a)()
      .post(`/api/api-keys/${id}/revoke`)
      .set(bearer(token))
      .timeout({ response: ANSWER_WITHIN_MS });
  /** Both instances' subscriptions are in place (again). */
  const bothSubscribed = () =>
    retry('both instances subscribe', async () =>
      (await redis.cli('pubsub', 'numsub', CHANNEL).catch(() => '')).endsWith('\n2')
        ? true
        : undefined,
    );
  const refusedOn = (server: ServerProcess, key: string) =>
    retry(
      'the key is refused',
      async () => {
        const response = await user(server, key);
        return response.status === 200 ? undefined : response;
      },
      WITHIN_CACHE_TTL,
    );

  it('takes effect on an instance cut off from Redis within the cache TTL, and at once after it reconnects', async () => {
    const admin = await signUp(on(a));
    const missed = await createKey(on(a), admin.token);
    const later = await createKey(on(a), admin.token);
    await user(b, missed.key).expect(200);

    await toRedisFromB.cut();
    await revoke(admin.token, missed.id).expect(200);
    await user(a, missed.key).expect(401);
    // B never heard of it: its cached entry still answers, until it expires.
    await user(b, missed.key).expect(200);
    const refused = await refusedOn(b, missed.key);
    expect({ status: refused.status, code: refused.body.code }).toEqual({
      status: 401,
      code: 'INVALID_API_KEY',
    });

    await toRedisFromB.resume();
    await bothSubscribed();
    await user(b, later.key).expect(200);
    await revoke(admin.token, later.id).expect(200);
    await user(b, later.key).expect(401);
  }, 60_000);

  it('drops what the instance cached when its subscription comes back, since it may have missed messages', async () => {
    const admin = await signUp(on(a));
    const created = await createKey(on(a), admin.token);
    await user(b, created.key).expect(200);

    await toRedisFromB.cut();
    await revoke(admin.token, created.id).expect(200);
    await user(b, created.key).expect(200);
    // Back within a second or so, well inside the 10 s for which B would otherwise serve it.
    await toRedisFromB.resume();
    await bothSubscribed();

    await user(b, created.key).expect(401);
  }, 60_000);

  it('keeps a revoke made while Redis is down: 200, refused at once where made, within the TTL elsewhere', async () => {
    const admin = await signUp(on(a));
    const created = await createKey(on(a), admin.token);
    await user(a, created.key).expect(200);
    await user(b, created.key).expect(200);
    const logged = a.output().length;

    await redis.kill();
    const revoked = await revoke(admin.token, created.id).expect(200);
    expect(revoked.body.status).toBe('revoked');

    await user(a, created.key).expect(401);
    await user(b, created.key).expect(200);
    expect((await refusedOn(b, created.key)).status).toBe(401);
    const warning = await retry(
      'A logs that it could not broadcast',
      () =>
        a
          .output()
          .slice(logged)
          .match(/Could not broadcast[^"]*/)?.[0],
    );
    expect(warning).toContain('api-key');

    await redis.restart();
    await bothSubscribed();
    const listed = await on(a)().get(`/api/api-keys/${created.id}`).set(bearer(admin.token));
    expect(listed.body.status).toBe('revoked');
  }, 60_000);

  it('does not hold a revoke on a Redis that stops answering', async () => {
    const admin = await signUp(on(a));
    const created = await createKey(on(a), admin.token);
    await user(b, created.key).expect(200);

    redis.pause();
    try {
      await revoke(admin.token, created.id).expect(200);
      await user(a, created.key).expect(401);
    } finally {
      redis.resume();
    }
    expect((await refusedOn(b, created.key)).status).toBe(401);
  }, 60_000);

  it('notices a subscription that died without a word, and subscribes again', async () => {
    const admin = await signUp(on(a));
    const logged = b.output().length;

    // B's connections to Redis stay open but carry nothing from now on; new ones work.
    toRedisFromB.silence();

    // Each round: a key B has just read, revoked on A, must be refused by B on the next request.
    // Only the bus can do that (B's entry is fresh), and only once B has a live subscription.
    await retry(
      'B refuses a key revoked on A at once',
      async () => {
        const created = await createKey(on(a), admin.token);
        await user(b, created.key).expect(200);
        await revoke(admin.token, created.id).expect(200);
        return (await user(b, created.key)).status === 401 ? true : undefined;
      },
      { attempts: 40, intervalMs: 250 },
    );
    // Log lines are flushed every second.
    await retry('B logs that it lost its subscription', () =>
      b.output().slice(logged).includes('Lost the invalidation subscription') ? true : undefined,
    );
  }, 60_000);

  // Last: it stops both instances.
  it('lets both instances shut down while Redis does not answer', async () => {
    redis.pause();
    try {
      expect(await Promise.all([a.stop(), b.stop()])).toEqual([0, 0]);
    } finally {
      redis.resume();
    }
  }, 60_000);
});
