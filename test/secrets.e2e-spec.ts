import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import {
  StoredValue,
  findSecrets,
  readEveryRedisValue,
  readEveryValue,
} from './support/database-scan';
import { CreatedKey, uniqueEmail } from './support/factories';
import { ServerProcess, startServer } from './support/server-process';
import { TestSmtpServer, linkToken } from './support/smtp-server';

interface LogLine {
  level: number;
  msg?: string;
  reqId?: string;
  url?: string;
  statusCode?: number;
  tenantId?: string;
  userId?: string;
  apiKeyId?: string;
  [field: string]: unknown;
}

interface Sent {
  reqId: string;
  status: number;
  /** Who the request authenticated as, when it did. */
  caller?: { tenantId: string; userId: string; apiKeyId?: string };
}

const unique = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;

/**
 * The production build, logging everything it can (trace), driven through the life of a tenant's credentials:
 * sign-up, logins right and wrong, keys created, used, rotated, revoked and used again after.
 * Then every value in the database and every line the process wrote are searched for the
 * secrets of the run. Only digests, hints and ids may be there.
 */
describe('Secrets (production build, LOG_LEVEL=trace)', () => {
  const password = unique('password');
  const wrongPassword = unique('wrong-password');
  const inviteePassword = unique('invitee-password');
  const resetPassword = unique('reset-password');
  const changedPassword = unique('changed-password');
  const inviteeEmail = uniqueEmail('secrets-invitee');
  let smtp: TestSmtpServer | undefined;
  const jwtSecret = unique('jwt-secret');
  const operatorToken = unique('operator-token');
  const email = uniqueEmail('secrets');
  const tenantName = unique('tenant');
  const userName = unique('name');

  let server: ServerProcess | undefined;
  let logs = '';
  let stored: StoredValue[] = [];
  const sent: Sent[] = [];
  const tokens: Record<string, string> = {};
  /** Refresh tokens and the tokens of links in mails: opaque, so only whole. */
  const opaque: Record<string, string> = {};
  const keys: Record<string, CreatedKey> = {};
  let account: { tenantId: string; userId: string };

  function call(
    method: 'get' | 'post',
    path: string,
    options: { auth?: string; body?: object | string; as?: Sent['caller']; cookie?: string } = {},
  ) {
    const reqId = `secrets-${sent.length}`;
    let test = request(server!.url)[method](path).set('X-Request-Id', reqId);
    if (options.auth !== undefined) test = test.set('Authorization', options.auth);
    if (options.cookie !== undefined) test = test.set('Cookie', options.cookie);
    if (typeof options.body === 'string') {
      test = test.set('Content-Type', 'application/json').send(options.body);
    } else if (options.body) test = test.send(options.body);
    return test.then((response) => {
      sent.push({ reqId, status: response.status, caller: options.as });
      expect(response.headers['x-request-id']).toBe(reqId);
      return response;
    });
  }

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    server = await startServer({
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'https://console.secrets.test',
      DATABASE_URL: process.env.DATABASE_URL,
      DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE,
      REDIS_URL: process.env.TEST_REDIS_URL,
      JWT_SECRET: jwtSecret,
      OPERATOR_TOKEN: operatorToken,
      LOG_LEVEL: 'trace',
      NODE_ENV: 'production',
      UNAUTHENTICATED_RPM: '1000000',
    });

    const signup = await call('post', '/api/auth/signup', {
      body: { tenantName, email, password, name: userName },
    });
    expect(signup.status).toBe(201);
    tokens.signup = signup.body.accessToken;
    opaque.signupRefresh = signup.body.refreshToken;
    account = { tenantId: signup.body.user.tenantId, userId: signup.body.user.id };
    const jwt = { ...account };

    expect(
      (await call('post', '/api/auth/signup', { body: { tenantName, email, password } })).status,
    ).toBe(409);
    const login = await call('post', '/api/auth/login', { body: { email, password } });
    expect(login.status).toBe(200);
    tokens.login = login.body.accessToken;
    opaque.loginRefresh = login.body.refreshToken;
    const wrong = { email, password: wrongPassword };
    expect((await call('post', '/api/auth/login', { body: wrong })).status).toBe(401);
    const unknown = { email: uniqueEmail('nobody'), password };
    expect((await call('post', '/api/auth/login', { body: unknown })).status).toBe(401);
    const malformed = `{"email":"${email}","password":"${password}"`;
    expect((await call('post', '/api/auth/login', { body: malformed })).status).toBe(400);
    const invalid = { tenantName, email: 'not an email', password, extra: password };
    expect((await call('post', '/api/auth/signup', { body: invalid })).status).toBe(400);

    const withJwt = `Bearer ${tokens.login}`;
    expect((await call('get', '/api/user', { auth: withJwt, as: jwt })).status).toBe(200);

    const create = async (name: string, auth: string, body: object = {}, as = jwt) => {
      const response = await call('post', '/api/api-keys', { auth, body: { name, ...body }, as });
      expect(response.status).toBe(201);
      keys[name] = response.body as CreatedKey;
      return keys[name];
    };
    const viaKey = (key: CreatedKey) => ({ ...account, apiKeyId: key.id });

    const live = await create('live', withJwt);
    const scoped = await create('scoped', `Bearer ${tokens.signup}`, {
      environment: 'test',
      scopes: ['projects:read', 'projects:write', 'api-keys:write'],
    });
    const child = await create('child', live.key, {}, viaKey(live));

    expect((await call('get', '/api/user', { auth: live.key, as: viaKey(live) })).status).toBe(200);
    const project = { name: 'secrets project' };
    const usedScoped = { auth: `Bearer ${scoped.key}`, body: project, as: viaKey(scoped) };
    expect((await call('post', '/api/projects', usedScoped)).status).toBe(201);
    const withChild = { auth: `Bearer ${child.key}`, as: viaKey(child) };
    expect((await call('get', '/api/api-keys', withChild)).status).toBe(200);
    // Refused after authentication: the line still says who asked.
    const scopedRefused = { auth: scoped.key, as: viaKey(scoped) };
    expect((await call('get', '/api/audit-events', scopedRefused)).status).toBe(403);
    const invalidKey = { auth: child.key, body: { name: '' }, as: viaKey(child) };
    expect((await call('post', '/api/api-keys', invalidKey)).status).toBe(400);
    // A client that also puts its key in the query string: the path is logged, the query not.
    const inQuery = { auth: live.key, as: viaKey(live) };
    expect((await call('get', `/api/user?api_key=${live.key}`, inQuery)).status).toBe(200);
    expect((await call('get', `/api/user?api_key=${scoped.key}`)).status).toBe(401);

    const rotated = await call('post', `/api/api-keys/${live.id}/rotate`, {
      auth: withJwt,
      body: { gracePeriodSeconds: 3600 },
      as: jwt,
    });
    expect(rotated.status).toBe(201);
    keys.liveRotated = rotated.body as CreatedKey;
    const rotatedAtOnce = await call('post', `/api/api-keys/${scoped.id}/rotate`, {
      auth: `Bearer ${scoped.key}`,
      body: {},
      as: viaKey(scoped),
    });
    expect(rotatedAtOnce.status).toBe(201);
    keys.scopedRotated = rotatedAtOnce.body as CreatedKey;

    const liveInGrace = { auth: `Bearer ${live.key}`, as: viaKey(live) };
    expect((await call('get', '/api/user', liveInGrace)).status).toBe(200);
    const liveRotated = { auth: keys.liveRotated.key, as: viaKey(keys.liveRotated) };
    expect((await call('get', '/api/user', liveRotated)).status).toBe(200);
    expect((await call('get', '/api/projects', { auth: scoped.key })).status).toBe(401);
    const scopedRotated = { auth: keys.scopedRotated.key, as: viaKey(keys.scopedRotated) };
    expect((await call('get', '/api/projects', scopedRotated)).status).toBe(200);

    const revoke = (key: CreatedKey, auth: string, as: Sent['caller']) =>
      call('post', `/api/api-keys/${key.id}/revoke`, { auth, as });
    expect((await revoke(child, withJwt, jwt)).status).toBe(200);
    const self = keys.liveRotated;
    expect((await revoke(self, `Bearer ${self.key}`, viaKey(self))).status).toBe(200);
    for (const revoked of [child, self]) {
      expect((await call('get', '/api/user', { auth: revoked.key })).status).toBe(401);
      expect((await call('post', '/api/api-keys', { auth: revoked.key, body: {} })).status).toBe(
        401,
      );
      expect((await revoke(revoked, `Bearer ${revoked.key}`, undefined)).status).toBe(401);
    }
    const badChecksum = live.key.slice(0, -1) + (live.key.endsWith('a') ? 'b' : 'a');
    expect((await call('get', '/api/user', { auth: badChecksum })).status).toBe(401);
    const forged = `${tokens.login.slice(0, tokens.login.lastIndexOf('.'))}.${'A'.repeat(43)}`;
    expect((await call('get', '/api/user', { auth: `Bearer ${forged}` })).status).toBe(401);

    // Sessions: refreshed by body and by cookie, a used-up token replayed, logged out.
    const refreshed = await call('post', '/api/auth/refresh', {
      body: { refreshToken: opaque.loginRefresh },
    });
    expect(refreshed.status).toBe(200);
    tokens.refreshed = refreshed.body.accessToken;
    opaque.refreshedRefresh = refreshed.body.refreshToken;
    const byCookie = await call('post', '/api/auth/refresh', {
      cookie: `latchkey_refresh=${opaque.refreshedRefresh}`,
    });
    expect(byCookie.status).toBe(200);
    opaque.cookieRefresh = byCookie.body.refreshToken;
    const replayed = { body: { refreshToken: opaque.loginRefresh } };
    expect((await call('post', '/api/auth/refresh', replayed)).status).toBe(401);
    const signupSession = { auth: `Bearer ${tokens.signup}`, as: jwt };
    expect((await call('get', '/api/user/sessions', signupSession)).status).toBe(200);
    const logout = {
      auth: `Bearer ${tokens.signup}`,
      body: { refreshToken: opaque.signupRefresh },
    };
    expect((await call('post', '/api/auth/logout', logout)).status).toBe(204);
    expect((await call('get', '/api/user', { auth: `Bearer ${tokens.signup}` })).status).toBe(401);

    // Mailed links: a verification, an invitation accepted with a password, a forgotten
    // password reset, then a password change. Their tokens are secrets too.
    opaque.verification = linkToken(await smtp.mailTo(email, /Verify/));
    const verify = { body: { token: opaque.verification } };
    expect((await call('post', '/api/auth/verify-email', verify)).status).toBe(200);
    // A new session: the login's ended with the replayed refresh token.
    const again = await call('post', '/api/auth/login', { body: { email, password } });
    expect(again.status).toBe(200);
    tokens.again = again.body.accessToken;
    opaque.againRefresh = again.body.refreshToken;
    const invite = {
      auth: `Bearer ${tokens.again}`,
      body: { email: inviteeEmail, role: 'member' },
      as: jwt,
    };
    const invited = await call('post', '/api/users', invite);
    expect(invited.status).toBe(201);
    opaque.invitation = linkToken(await smtp.mailTo(inviteeEmail, /invited/));
    const accept = { body: { token: opaque.invitation, password: inviteePassword } };
    expect((await call('post', '/api/auth/accept-invite', accept)).status).toBe(200);
    const forgot = { body: { email: inviteeEmail } };
    expect((await call('post', '/api/auth/forgot-password', forgot)).status).toBe(202);
    opaque.reset = linkToken(await smtp.mailTo(inviteeEmail, /Reset/));
    const reset = { body: { token: opaque.reset, password: resetPassword } };
    expect((await call('post', '/api/auth/reset-password', reset)).status).toBe(204);
    const invitee = { tenantId: account.tenantId, userId: invited.body.id as string };
    const inviteeLogin = await call('post', '/api/auth/login', {
      body: { email: inviteeEmail, password: resetPassword },
    });
    expect(inviteeLogin.status).toBe(200);
    tokens.invitee = inviteeLogin.body.accessToken;
    opaque.inviteeRefresh = inviteeLogin.body.refreshToken;
    const change = {
      auth: `Bearer ${tokens.invitee}`,
      body: { currentPassword: resetPassword, newPassword: changedPassword },
      as: invitee,
    };
    expect((await call('post', '/api/user/password', change)).status).toBe(204);

    const operator = `Bearer ${operatorToken}`;
    expect((await call('get', '/api/operator/tenants', { auth: operator })).status).toBe(200);
    const wrongOperator = `Bearer ${operatorToken.toUpperCase()}`;
    expect((await call('get', '/api/operator/tenants', { auth: wrongOperator })).status).toBe(401);

    expect(await server.stop()).toBe(0);
    logs = server.output();
    stored = await readEveryValue(process.env.DATABASE_URL!);
    if (process.env.TEST_REDIS_URL) {
      stored.push(...(await readEveryRedisValue(process.env.TEST_REDIS_URL)));
    }
  }, 120_000);

  afterAll(async () => {
    await server?.kill();
    await smtp?.stop();
  });

  /** Each secret of the run, whole, and the part of it an accident would most likely copy. */
  function secrets(): Record<string, string> {
    const all: Record<string, string> = {
      password,
      wrongPassword,
      inviteePassword,
      resetPassword,
      changedPassword,
      jwtSecret,
      operatorToken,
    };
    for (const [name, token] of Object.entries(tokens)) {
      all[`${name} JWT`] = token;
      all[`${name} JWT signature`] = token.slice(token.lastIndexOf('.') + 1);
    }
    for (const [name, token] of Object.entries(opaque)) all[name] = token;
    for (const [name, { key }] of Object.entries(keys)) {
      all[`${name} key`] = key;
      // Between `prv_live_` and the four characters the hint shows.
      all[`${name} key's secret part`] = key.slice(key.indexOf('_', 4) + 1, -4);
    }
    return all;
  }

  const logLines = (): LogLine[] =>
    logs
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as LogLine);

  it('stores no key, password, token or server secret in any column of any table (nor in Redis)', () => {
    const everything = stored.flatMap((value) => value.forms).join('\n');
    // The scan sees the rows of this run: keys by id, digest and hint, the password's hash.
    for (const key of Object.values(keys)) {
      expect(everything).toContain(key.id);
      expect(everything).toContain(createHash('sha256').update(key.key).digest('hex'));
      expect(everything).toContain(key.hint);
    }
    expect(everything).toContain(email);
    expect(everything).toMatch(/\$argon2id\$/);
    // Refresh tokens by digest: the scan sees them where they are kept.
    for (const token of Object.values(opaque)) {
      expect(everything).toContain(createHash('sha256').update(token).digest('hex'));
    }
    if (process.env.TEST_REDIS_URL) expect(everything).toContain(`account:${account.userId}`);

    expect(findSecrets(stored, secrets())).toEqual([]);
  });

  it('writes only JSON lines, none with a key, password, token or server secret', () => {
    expect(() => logLines()).not.toThrow();
    const found = findSecrets([{ table: 'logs', column: 'output', forms: [logs] }], secrets());
    expect(found).toEqual([]);
  });

  it('never logs the Authorization header nor what was sent to sign up and log in', () => {
    expect(logs.toLowerCase()).not.toContain('authorization');
    expect(logs.toLowerCase()).not.toContain('bearer');
    for (const sentInAuthBodies of [email, inviteeEmail, tenantName, userName, password]) {
      expect(logs).not.toContain(sentInAuthBodies);
    }
  });

  it('logs every request once, with its id, and who called when it authenticated', () => {
    const lines = logLines();
    expect(sent.length).toBeGreaterThan(30);
    for (const { reqId, status, caller } of sent) {
      const own = lines.filter((line) => line.reqId === reqId);
      expect(own).toHaveLength(1);
      const [line] = own;
      expect(line).toMatchObject({ msg: 'request completed', statusCode: status });
      expect({
        reqId,
        tenantId: line.tenantId,
        userId: line.userId,
        apiKeyId: line.apiKeyId,
      }).toEqual({
        reqId,
        tenantId: caller?.tenantId,
        userId: caller?.userId,
        apiKeyId: caller?.apiKeyId,
      });
    }
    const withKey = sent.filter((request) => request.caller?.apiKeyId);
    expect(new Set(withKey.map((request) => request.caller!.apiKeyId)).size).toBe(5);
  });
});
