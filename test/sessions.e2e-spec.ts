import { DataSource } from 'typeorm';
import { StatementCounter } from '@/database/statement-counter';
import { MAX_LIVE_SESSIONS, USED_TOKENS_KEPT } from '@/sessions/sessions.service';
import { TestApp, startApp } from './support/app';
import {
  PASSWORD,
  addUser,
  bearer,
  createKey,
  logIn,
  setCookie,
  setUserStatus,
  signUp,
} from './support/factories';
import { localClaims, signHs256 } from './support/tokens';

const REFRESH_TOKEN = /^[A-Za-z0-9_-]{43}$/;

function claimsOf(token: string): { sub: string; tid: string; sid: string; exp: number } {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as {
    sub: string;
    tid: string;
    sid: string;
    exp: number;
  };
}

/** `name=value; A=b; C` → { name: 'value', a: 'b', c: true }: attribute names lower-cased. */
function parseSetCookie(header: string): Record<string, string | true> {
  const [pair, ...attributes] = header.split(';').map((part) => part.trim());
  const [name, value] = pair.split('=');
  const parsed: Record<string, string | true> = { [name]: value };
  for (const attribute of attributes) {
    const [key, attributeValue] = attribute.split('=');
    parsed[key.toLowerCase()] = attributeValue ?? true;
  }
  return parsed;
}

describe('Sessions: refresh tokens, logout, sessions that end at once', () => {
  let t: TestApp;
  const me = (token: string) => t.http().get('/api/user').set(bearer(token));
  const refresh = (body: object, cookie?: string) => {
    const request = t.http().post('/api/auth/refresh');
    if (cookie) void request.set('Cookie', cookie);
    return request.send(body);
  };

  beforeAll(async () => {
    // X-Forwarded-Proto tells the app when a request came over https.
    t = await startApp({ TRUST_PROXY: '1' });
  });
  afterAll(() => t.close());

  describe('refresh tokens', () => {
    it('come with every sign-in, in the body and as an HttpOnly, SameSite=Strict cookie for /api/auth', async () => {
      const admin = await signUp(t.http);
      const signedIn = await logIn(t.http, admin.email);
      expect(admin.refreshToken).toMatch(REFRESH_TOKEN);
      expect(signedIn.refreshToken).toMatch(REFRESH_TOKEN);
      expect(signedIn.refreshToken).not.toBe(admin.refreshToken);
      const cookie = parseSetCookie(signedIn.cookie);
      expect(cookie).toEqual({
        latchkey_refresh: signedIn.refreshToken,
        'max-age': expect.stringMatching(/^\d+$/),
        path: '/api/auth',
        httponly: true,
        samesite: 'Strict',
      });
      // The session's 30 days (SESSION_TTL_SECONDS), less the second or so the login took.
      expect(30 * 86_400 - Number(cookie['max-age'])).toBeLessThanOrEqual(2);
      // Secure under https (here: behind a proxy that says so).
      const https = await t
        .http()
        .post('/api/auth/login')
        .set('X-Forwarded-Proto', 'https')
        .send({ email: admin.email, password: PASSWORD })
        .expect(200);
      expect(parseSetCookie(setCookie(https.headers))).toMatchObject({ secure: true });
    });

    it('give the next access token and refresh token, once: the presented one is used up', async () => {
      const admin = await signUp(t.http);
      const first = await refresh({ refreshToken: admin.refreshToken }).expect(200);
      expect(first.body).toEqual({
        accessToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 900,
        refreshToken: expect.stringMatching(REFRESH_TOKEN),
      });
      expect(first.body.refreshToken).not.toBe(admin.refreshToken);
      expect(parseSetCookie(setCookie(first.headers)).latchkey_refresh).toBe(
        first.body.refreshToken,
      );
      expect(claimsOf(first.body.accessToken).sid).toBe(claimsOf(admin.token).sid);
      await me(first.body.accessToken).expect(200);
      // The chain goes on with the newest token, through the cookie this time.
      const second = await refresh({}, `latchkey_refresh=${first.body.refreshToken}`).expect(200);
      await me(second.body.accessToken).expect(200);
    });

    it('end the whole session when a used-up one is presented again (reuse detection)', async () => {
      const admin = await signUp(t.http);
      const rotated = await refresh({ refreshToken: admin.refreshToken }).expect(200);

      const replayed = await refresh({ refreshToken: admin.refreshToken }).expect(401);
      expect(replayed.body).toMatchObject({ code: 'INVALID_TOKEN', message: 'Invalid token' });
      // Every token of that session is dead now: the newest refresh token and the access tokens.
      const newest = await refresh({ refreshToken: rotated.body.refreshToken }).expect(401);
      expect(newest.body.code).toBe('SESSION_ENDED');
      expect((await me(rotated.body.accessToken).expect(401)).body.code).toBe('SESSION_ENDED');
      expect((await me(admin.token).expect(401)).body.code).toBe('SESSION_ENDED');
      // Other sessions of the user are not touched, and signing in again works.
      const other = await logIn(t.http, admin.email);
      await me(other.accessToken).expect(200);
      const row: { end_reason: string }[] = await t.app
        .get(DataSource)
        .query('SELECT end_reason FROM sessions WHERE id = $1', [claimsOf(admin.token).sid]);
      expect(row).toEqual([{ end_reason: 'refresh_token_reused' }]);
    });

    it('let one of two refreshes racing with one token win; the other ends the session', async () => {
      const admin = await signUp(t.http);
      const both = await Promise.all([
        refresh({ refreshToken: admin.refreshToken }),
        refresh({ refreshToken: admin.refreshToken }),
      ]);
      expect(both.map((response) => response.status).sort()).toEqual([200, 401]);
      const winner = both.find((response) => response.status === 200)!;
      await me(winner.body.accessToken).expect(401);
    });

    it('are refused when missing, made up or malformed, without ending anything', async () => {
      const admin = await signUp(t.http);
      expect((await refresh({}).expect(401)).body.code).toBe('MISSING_CREDENTIAL');
      for (const token of ['x'.repeat(43), 'not a token', admin.token.slice(0, 100)]) {
        expect((await refresh({ refreshToken: token }).expect(401)).body.code).toBe(
          'INVALID_TOKEN',
        );
      }
      await refresh({ refreshToken: 42 }).expect(400);
      await refresh({ refreshToken: 'x'.repeat(101) }).expect(400);
      await me(admin.token).expect(200);
      await refresh({ refreshToken: admin.refreshToken }).expect(200);
    });

    it('stop SESSION_TTL_SECONDS (30 days) after login; no access token outlives its session', async () => {
      const admin = await signUp(t.http);
      const loggedInAt = Date.now();
      const clock = jest.spyOn(Date, 'now');
      try {
        // 100 s before the session ends, a refresh hands out an access token for 100 s at most.
        clock.mockReturnValue(loggedInAt + (30 * 86_400 - 100) * 1000);
        const late = await refresh({ refreshToken: admin.refreshToken }).expect(200);
        expect(late.body.expiresIn).toBeLessThanOrEqual(100);
        expect(late.body.expiresIn).toBeGreaterThanOrEqual(97);
        expect(Number(parseSetCookie(setCookie(late.headers))['max-age'])).toBe(
          late.body.expiresIn,
        );
        await me(late.body.accessToken).expect(200);

        clock.mockReturnValue(loggedInAt + (30 * 86_400 + 1) * 1000);
        const ended = await refresh({ refreshToken: late.body.refreshToken }).expect(401);
        expect(ended.body.code).toBe('SESSION_ENDED');
        expect((await me(late.body.accessToken).expect(401)).body.code).toBe('TOKEN_EXPIRED');
      } finally {
        clock.mockRestore();
      }
    });

    it('are refused once the user is deactivated, and stay refused after reactivation', async () => {
      const admin = await signUp(t.http);
      const member = await addUser(t.http, admin.token, 'member');
      const session = await logIn(t.http, member.email);
      await setUserStatus(t.http, admin.token, member.id, 'deactivated');
      const refused = await refresh({ refreshToken: session.refreshToken }).expect(401);
      expect(refused.body.code).toBe('SESSION_ENDED');
      expect((await me(session.accessToken).expect(401)).body.code).toBe('ACCOUNT_INACTIVE');

      await setUserStatus(t.http, admin.token, member.id, 'active');
      expect((await me(session.accessToken).expect(401)).body.code).toBe('SESSION_ENDED');
      await refresh({ refreshToken: session.refreshToken }).expect(401);
      await me((await logIn(t.http, member.email)).accessToken).expect(200);
    });
  });

  describe('logout', () => {
    it('with the access token ends its session: refused on the very next request, cookie cleared', async () => {
      const admin = await signUp(t.http);
      const other = await logIn(t.http, admin.email);
      await me(admin.token).expect(200);
      const loggedOut = await t
        .http()
        .post('/api/auth/logout')
        .set(bearer(admin.token))
        .expect(204);
      expect(parseSetCookie(setCookie(loggedOut.headers))).toMatchObject({
        latchkey_refresh: '',
        'max-age': '0',
        path: '/api/auth',
      });
      const refused = await me(admin.token).expect(401);
      expect(refused.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        code: 'SESSION_ENDED',
        message: 'Session has ended',
      });
      await refresh({ refreshToken: admin.refreshToken }).expect(401);
      // Only that session: the user's other session goes on.
      await me(other.accessToken).expect(200);
    });

    it('with the refresh cookie alone ends its session', async () => {
      const admin = await signUp(t.http);
      await t
        .http()
        .post('/api/auth/logout')
        .set('Cookie', `latchkey_refresh=${admin.refreshToken}`)
        .expect(204);
      await me(admin.token).expect(401);
    });

    it('accepts an expired access token of ours, and refuses a forged one or none', async () => {
      const admin = await signUp(t.http);
      const { sid } = claimsOf(admin.token);
      const expired = signHs256(
        localClaims(admin.userId, admin.tenantId, { sid, exp: Math.floor(Date.now() / 1000) - 60 }),
      );
      await t.http().post('/api/auth/logout').set(bearer(expired)).expect(204);
      await me(admin.token).expect(401);

      const forged = signHs256(
        localClaims(admin.userId, admin.tenantId, { sid }),
        'not-the-secret-of-this-server-at-all',
      );
      const refused = await t.http().post('/api/auth/logout').set(bearer(forged)).expect(401);
      expect(refused.body.code).toBe('INVALID_TOKEN');
      expect((await t.http().post('/api/auth/logout').expect(401)).body.code).toBe(
        'MISSING_CREDENTIAL',
      );
    });

    it('leaves API keys working: they are not sessions', async () => {
      const admin = await signUp(t.http);
      const key = await createKey(t.http, admin.token);
      await t.http().post('/api/auth/logout').set(bearer(admin.token)).expect(204);
      await me(key.key).expect(200);
    });
  });

  describe('GET and DELETE /api/user/sessions', () => {
    it("lists the caller's live sessions with their client, marking the current one", async () => {
      const admin = await signUp(t.http);
      const phone = await logIn(t.http, admin.email, {
        'User-Agent': 'LatchkeyPhone/1.0',
        'X-Forwarded-For': '203.0.113.7',
      });
      const ended = await logIn(t.http, admin.email);
      await t.http().post('/api/auth/logout').set(bearer(ended.accessToken)).expect(204);
      const colleague = await addUser(t.http, admin.token, 'member');

      const listed = await t.http().get('/api/user/sessions').set(bearer(phone.accessToken));
      expect(listed.status).toBe(200);
      expect(listed.body.nextCursor).toBeNull();
      expect(listed.body.items).toEqual([
        {
          id: claimsOf(phone.accessToken).sid,
          createdAt: expect.any(String),
          lastUsedAt: expect.any(String),
          expiresAt: expect.any(String),
          userAgent: 'LatchkeyPhone/1.0',
          ip: '203.0.113.7',
          current: true,
        },
        expect.objectContaining({ id: claimsOf(admin.token).sid, current: false }),
      ]);
      const ids = (listed.body.items as { id: string }[]).map((session) => session.id);
      expect(ids).not.toContain(claimsOf(colleague.token).sid);
    });

    it('ends one session: its token is refused on the next request; others go on', async () => {
      const admin = await signUp(t.http);
      const laptop = await logIn(t.http, admin.email);
      await me(laptop.accessToken).expect(200);
      await t
        .http()
        .delete(`/api/user/sessions/${claimsOf(laptop.accessToken).sid}`)
        .set(bearer(admin.token))
        .expect(204);
      expect((await me(laptop.accessToken).expect(401)).body.code).toBe('SESSION_ENDED');
      await refresh({ refreshToken: laptop.refreshToken }).expect(401);
      await me(admin.token).expect(200);
    });

    it("answers 404 for a colleague's or another tenant's session, and 400 for a bad id", async () => {
      const admin = await signUp(t.http);
      const colleague = await addUser(t.http, admin.token, 'admin');
      const stranger = await signUp(t.http);
      for (const token of [colleague.token, stranger.token]) {
        await t
          .http()
          .delete(`/api/user/sessions/${claimsOf(token).sid}`)
          .set(bearer(admin.token))
          .expect(404);
        await me(token).expect(200);
      }
      await t.http().delete('/api/user/sessions/not-a-uuid').set(bearer(admin.token)).expect(400);
    });

    it('needs account:manage: a key scoped without it cannot see or end sessions', async () => {
      const admin = await signUp(t.http);
      const scoped = await createKey(t.http, admin.token, { scopes: ['projects:read'] });
      await t.http().get('/api/user/sessions').set(bearer(scoped.key)).expect(403);
      const full = await createKey(t.http, admin.token);
      const listed = await t.http().get('/api/user/sessions').set(bearer(full.key)).expect(200);
      expect(listed.body.items).toHaveLength(1);
      expect(listed.body.items[0].current).toBe(false);
    });
  });

  describe('bounded', () => {
    it(`keeps ${MAX_LIVE_SESSIONS} live sessions per user: a new sign-in ends the oldest`, async () => {
      const admin = await signUp(t.http);
      const db = t.app.get(DataSource);
      // As if the user had signed in 99 more times, each a minute earlier than the last.
      await db.query(
        `INSERT INTO sessions (tenant_id, user_id, created_at, expires_at)
         SELECT $1, $2, now() - make_interval(mins => n), now() + interval '1 day'
           FROM generate_series(1, $3::int) AS n`,
        [admin.tenantId, admin.userId, MAX_LIVE_SESSIONS - 1],
      );
      const newest = await logIn(t.http, admin.email);
      const live = `SELECT id, end_reason FROM sessions WHERE user_id = $1 ORDER BY created_at`;
      const rows: { id: string; end_reason: string | null }[] = await db.query(live, [
        admin.userId,
      ]);
      expect(rows).toHaveLength(MAX_LIVE_SESSIONS + 1);
      expect(rows[0].end_reason).toBe('too_many_sessions');
      expect(rows.slice(1).every((row) => row.end_reason === null)).toBe(true);
      await me(newest.accessToken).expect(200);
      await me(admin.token).expect(200);
    });

    it(`keeps the ${USED_TOKENS_KEPT} newest used refresh tokens of a session, still caught when replayed`, async () => {
      const admin = await signUp(t.http);
      let token = admin.refreshToken;
      const used: string[] = [];
      for (let n = 0; n < USED_TOKENS_KEPT + 5; n++) {
        used.push(token);
        token = (await refresh({ refreshToken: token }).expect(200)).body.refreshToken as string;
      }
      const rows: { kept: number }[] = await t.app
        .get(DataSource)
        .query('SELECT count(*)::int AS kept FROM refresh_tokens WHERE session_id = $1', [
          claimsOf(admin.token).sid,
        ]);
      expect(rows).toEqual([{ kept: USED_TOKENS_KEPT + 1 }]);
      // The oldest is forgotten: refused, but it ends nothing. A recent one ends the session.
      await refresh({ refreshToken: used[0] }).expect(401);
      await me(admin.token).expect(200);
      await refresh({ refreshToken: used[used.length - 1] }).expect(401);
      expect((await me(admin.token).expect(401)).body.code).toBe('SESSION_ENDED');
    });
  });

  it('costs no SQL statement per warm request with an access token', async () => {
    const admin = await signUp(t.http);
    await me(admin.token).expect(200);
    const counter = t.app.get(StatementCounter);
    const before = counter.statements;
    for (let i = 0; i < 50; i++) await me(admin.token).expect(200);
    expect(counter.statements - before).toBe(0);
  });
});
