import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Response } from 'supertest';
import { TestApp, startApp } from './support/app';
import { PASSWORD, clientIp, signUp, uniqueEmail } from './support/factories';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

type From = { 'X-Forwarded-For': string };

/** What a login answered, as a client can tell answers apart. */
const seen = (response: Response) => ({
  status: response.status,
  body: response.body as unknown,
  retryAfter: response.headers['retry-after'] as string | undefined,
});

const invalid = {
  status: 401,
  body: {
    statusCode: 401,
    error: 'Unauthorized',
    code: 'INVALID_CREDENTIALS',
    message: 'Invalid email or password',
  },
  retryAfter: undefined,
};
const locked = (seconds: number) => ({
  status: 429,
  body: {
    statusCode: 429,
    error: 'Too Many Requests',
    code: 'LOGIN_LOCKED',
    message: `Too many failed logins for this email from this address: try again in ${seconds} seconds`,
  },
  retryAfter: String(seconds),
});

describe('Login under attack', () => {
  let t: TestApp;
  /** The app runs in this process: its clock is this one, stopped, and moved by the tests. */
  let now: number;
  const later = (ms: number) => (now += ms);

  beforeAll(async () => {
    t = await startApp({ TRUST_PROXY: 'true' });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    now = Date.now();
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  const login = (email: string, password: string, from: From) =>
    t.http().post('/api/auth/login').set(from).send({ email, password });
  const wrong = async (email: string, from: From) =>
    seen(await login(email, 'a wrong password', from));
  const failTimes = async (times: number, email: string, from: From) => {
    const answers = [];
    for (let n = 0; n < times; n++) answers.push(await wrong(email, from));
    return answers;
  };

  it('locks an email at one address after 5 failures, right password included; its owner signs in elsewhere', async () => {
    const { email } = await signUp(t.http);
    const attacker = clientIp();
    expect(await failTimes(5, email, attacker)).toEqual(Array(5).fill(invalid));
    expect(await wrong(email, attacker)).toEqual(locked(60));
    expect(seen(await login(email, PASSWORD, attacker))).toEqual(locked(60));
    // Also in another letter case: the pair is the email, not the string sent.
    expect(seen(await login(email.toUpperCase(), PASSWORD, attacker))).toEqual(locked(60));

    await login(email, PASSWORD, clientIp()).expect(200);
    expect(await wrong(email, attacker)).toEqual(locked(60));
    later(MINUTE);
    await login(email, PASSWORD, attacker).expect(200);
  });

  it('answers an unknown email exactly as a known one', async () => {
    const { email } = await signUp(t.http);
    const nobody = uniqueEmail('nobody');
    const known = await failTimes(7, email, clientIp());
    const unknown = await failTimes(7, nobody, clientIp());
    expect(unknown).toEqual(known);
    expect(known.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it('doubles the delay after each lockout, up to an hour, and forgets it a day after the last', async () => {
    const { email } = await signUp(t.http);
    const from = clientIp();
    await failTimes(5, email, from);
    expect(await wrong(email, from)).toEqual(locked(60));
    later(30_000);
    expect(await wrong(email, from)).toEqual(locked(30));

    let delay = 60;
    for (const next of [120, 240, 480, 960, 1920, 3600, 3600]) {
      later(delay * 1000);
      // The lock is over; the next failure starts the next one, twice as long.
      expect(await wrong(email, from)).toEqual(invalid);
      expect(await wrong(email, from)).toEqual(locked(next));
      delay = next;
    }

    later(HOUR + 24 * HOUR);
    expect(await failTimes(5, email, from)).toEqual(Array(5).fill(invalid));
    expect(await wrong(email, from)).toEqual(locked(60));
  });

  it('starts counting again after a sign-in', async () => {
    const { email } = await signUp(t.http);
    const from = clientIp();
    await failTimes(4, email, from);
    later(10 * MINUTE);
    await login(email, PASSWORD, from).expect(200);
    expect(await failTimes(5, email, from)).toEqual(Array(5).fill(invalid));
    expect(await wrong(email, from)).toEqual(locked(60));
  });

  it('counts the addresses of an IPv6 /64 as one', async () => {
    const nobody = uniqueEmail('nobody');
    const prefix = `2001:db8:${randomInt(65536).toString(16)}:${randomInt(65536).toString(16)}`;
    const from = (n: number) => ({ 'X-Forwarded-For': `${prefix}::${n.toString(16)}` });
    for (let n = 1; n <= 5; n++) expect(await wrong(nobody, from(n))).toEqual(invalid);
    expect(await wrong(nobody, from(6))).toEqual(locked(60));
    expect(
      await wrong(nobody, { 'X-Forwarded-For': `2001:db8:ffff:${randomInt(65536)}::1` }),
    ).toEqual(invalid);
  });
});

describe('Password hashing under load', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp({
      TRUST_PROXY: 'true',
      PASSWORD_HASH_CONCURRENCY: '1',
      PASSWORD_HASH_QUEUE_SIZE: '1',
    });
  });
  afterAll(() => t.close());

  it('answers 503 with Retry-After at once when the queue is full, and serves the others', async () => {
    const { email } = await signUp(t.http);
    const from = clientIp();
    const started = performance.now();
    // Unknown emails, each once: the lockout has nothing to count.
    const answers = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          headers: from,
          payload: { email: uniqueEmail('nobody'), password: PASSWORD },
        });
        return {
          status: response.statusCode,
          body: response.json<unknown>(),
          retryAfter: response.headers['retry-after'],
          at: performance.now() - started,
        };
      }),
    );

    const busy = answers.filter((answer) => answer.status === 503);
    const served = answers.filter((answer) => answer.status === 401);
    expect(busy.length + served.length).toBe(20);
    expect(busy.length).toBeGreaterThan(0);
    expect(served.length).toBeGreaterThanOrEqual(2);
    for (const answer of busy) {
      expect(answer.retryAfter).toBe('1');
      expect(answer.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'UNAVAILABLE',
        message: 'Too many sign-ins at once: try again in a second',
      });
    }
    // Refused while the first verification was still running: nobody waited for a slot.
    const firstServed = Math.min(...served.map((answer) => answer.at));
    expect(Math.min(...busy.map((answer) => answer.at))).toBeLessThan(firstServed);

    await t
      .http()
      .post('/api/auth/login')
      .set(from)
      .send({ email, password: PASSWORD })
      .expect(200);
  });
});
