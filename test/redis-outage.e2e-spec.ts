import { ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { TestApp, startApp } from './support/app';
import { bearer, signUp, uniqueEmail } from './support/factories';
import { freePort } from './support/server-process';

const redisCli = async (port: number, ...args: string[]): Promise<string> =>
  (await promisify(execFile)('redis-cli', ['-p', String(port), ...args])).stdout.trim();

/** A Redis of this suite's own, so that it can be stopped and started again mid-run. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  await eventually(
    () =>
      redisCli(port, 'ping').then(
        (answer) => (answer === 'PONG' ? true : undefined),
        () => undefined,
      ),
    `redis-server answers on port ${port}`,
  );
  return child;
}

async function eventually<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const result = await check();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`not within 20 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * What DESIGN.md does not say and the README does: with Redis gone the API fails open, but
 * each instance still enforces the limit on its own, and it goes back to Redis by itself.
 */
describe('Rate limits and login lockouts while Redis is down', () => {
  let port: number;
  let redis: ChildProcess;
  let t: TestApp;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    t = await startApp({ REDIS_URL: `redis://127.0.0.1:${port}`, PLAN_STANDARD_RPM: '5' });
  });
  afterAll(async () => {
    await t?.close();
    if (redis && redis.exitCode === null && redis.signalCode === null) {
      redis.kill('SIGKILL');
      await once(redis, 'exit');
    }
  });

  const user = (token: string) =>
    t.http().get('/api/user').set(bearer(token)).timeout({ response: 5_000 });
  const rateLimits = async () =>
    (await t.http().get('/health/ready').expect(200)).body.rateLimits as Record<string, unknown>;

  it('counts in Redis, answers from memory while it is gone, and goes back to it', async () => {
    const admin = await signUp(t.http);
    const counter = `latchkey:rate:account:${admin.userId}`;
    await user(admin.token).expect(200);
    expect(await redisCli(port, 'get', counter)).toBe('1');
    expect(await rateLimits()).toEqual({ store: 'redis', redis: 'up', localFallbacks: 0 });

    redis.kill('SIGKILL');
    await once(redis, 'exit');

    for (let n = 1; n <= 5; n++) {
      const response = await user(admin.token).expect(200);
      expect(response.headers['x-ratelimit-remaining']).toBe(String(5 - n));
    }
    const refused = await user(admin.token).expect(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(await rateLimits()).toEqual({ store: 'redis', redis: 'down', localFallbacks: 6 });

    redis = await startRedis(port);
    await eventually(
      async () => ((await rateLimits()).redis === 'up' ? true : undefined),
      'the app reconnects to Redis',
    );
    const back = await user(admin.token).expect(200);
    expect(back.headers['x-ratelimit-remaining']).toBe('4');
    expect(await redisCli(port, 'get', counter)).toBe('1');
  });

  it('does not wait on a Redis that stops answering, nor pile up hits for when it resumes', async () => {
    const admin = await signUp(t.http);
    const counter = `latchkey:rate:account:${admin.userId}`;
    await user(admin.token).expect(200);
    expect(await redisCli(port, 'get', counter)).toBe('1');

    redis.kill('SIGSTOP');
    try {
      // Spread over 1.5 s: past the one-probe-a-second pace at which Redis is tried again.
      for (let n = 1; n <= 5; n++) {
        await user(admin.token).expect(200);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      await user(admin.token).expect(429);
      expect((await rateLimits()).redis).toBe('down');
    } finally {
      redis.kill('SIGCONT');
    }

    await eventually(
      async () => ((await rateLimits()).redis === 'up' ? true : undefined),
      'the app reconnects to Redis',
    );
    await user(admin.token).expect(200);
    // Before, after, and the one hit that was already on its way when Redis stopped: the
    // connection holding it was dropped, so no other hit reached Redis meanwhile.
    expect(await redisCli(port, 'get', counter)).toBe('3');
  });

  it('locks logins in memory while Redis is gone, and in Redis again once it is back', async () => {
    const wrong = (email: string) =>
      t
        .http()
        .post('/api/auth/login')
        .send({ email, password: 'a wrong password' })
        .timeout({ response: 5_000 });
    const lockouts = () => redisCli(port, 'keys', 'latchkey:login:*');
    redis.kill('SIGKILL');
    await once(redis, 'exit');

    const nobody = uniqueEmail('nobody');
    for (let n = 1; n <= 5; n++) await wrong(nobody).expect(401);
    const locked = await wrong(nobody).expect(429);
    expect(locked.body.code).toBe('LOGIN_LOCKED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(59);

    redis = await startRedis(port);
    expect(await lockouts()).toBe('');
    await eventually(async () => {
      await wrong(uniqueEmail('nobody')).expect(401);
      return (await lockouts()) === '' ? undefined : true;
    }, 'failed logins are counted in Redis again');
  });
});
