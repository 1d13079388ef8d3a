import { Response } from 'supertest';
import { ErrorCode } from '@/common/errors';
import { TestApp, startApp } from './support/app';
import { CreatedKey, SignedUp, bearer, createKey, signUp } from './support/factories';

interface KeyView {
  id: string;
  status: 'active' | 'revoked' | 'expired';
  revokedAt: string | null;
}

/**
 * Requests that race for one key or for the last places under the plan's key limit, sent
 * together over HTTP. On PostgreSQL they really run at once (a pool of 10); on the embedded
 * database they queue for its one connection, so the outcome must be the same.
 */
describe('Concurrent key operations', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Each test makes a few dozen requests for one account: keep the rate limit out of the way.
    t = await startApp({ PLAN_STANDARD_RPM: '100000' });
  });
  afterAll(() => t.close());

  const together = <T>(count: number, send: (i: number) => Promise<T>) =>
    Promise.all(Array.from({ length: count }, (_, i) => send(i)));

  const statuses = (responses: Response[]) => responses.map((r) => r.status).sort();

  const rotate = (admin: SignedUp, id: string, gracePeriodSeconds = 0) =>
    t
      .http()
      .post(`/api/api-keys/${id}/rotate`)
      .set(bearer(admin.token))
      .send({ gracePeriodSeconds });

  const revoke = (admin: SignedUp, id: string) =>
    t.http().post(`/api/api-keys/${id}/revoke`).set(bearer(admin.token));

  async function ownKeys(admin: SignedUp): Promise<KeyView[]> {
    const list = await t.http().get('/api/api-keys').set(bearer(admin.token)).expect(200);
    return list.body as KeyView[];
  }

  async function auditActions(admin: SignedUp, targetId: string): Promise<string[]> {
    const events = await t
      .http()
      .get('/api/audit-events?limit=100')
      .set(bearer(admin.token))
      .expect(200);
    return (events.body.items as { action: string; targetId: string }[])
      .filter((event) => event.targetId === targetId)
      .map((event) => event.action)
      .sort();
  }

  const authenticates = async (key: string) =>
    (await t.http().get('/api/user').set('Authorization', key)).status;

  function expectConflict(response: Response, code: ErrorCode, message: RegExp): void {
    expect(response.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      code,
      message: expect.stringMatching(message),
    });
  }

  describe('rotations of one key', () => {
    it.each([0, 3600])(
      'ten at once (grace %i s): one wins, the others get 409, one new key exists and works',
      async (grace) => {
        const admin = await signUp(t.http);
        const old = await createKey(t.http, admin.token);
        const responses = await together(10, () => rotate(admin, old.id, grace));

        expect(statuses(responses)).toEqual([201, ...Array<number>(9).fill(409)]);
        const [winner] = responses.filter((r) => r.status === 201);
        for (const loser of responses.filter((r) => r.status === 409)) {
          expectConflict(loser, 'CONFLICT', /rotated/);
        }
        const replacement = winner.body as CreatedKey;
        expect(await authenticates(replacement.key)).toBe(200);
        expect(await authenticates(old.key)).toBe(grace === 0 ? 401 : 200);

        const keys = await ownKeys(admin);
        expect(keys.map((key) => key.id).sort()).toEqual([old.id, replacement.id].sort());
        expect(keys.find((key) => key.id === old.id)?.status).toBe(
          grace === 0 ? 'expired' : 'active',
        );
        expect(await auditActions(admin, old.id)).toEqual(['api_key.created', 'api_key.rotated']);
      },
    );

    it('a rotation racing a revoke: the key ends revoked, and a new key exists only if the rotation won', async () => {
      const admin = await signUp(t.http);
      for (let round = 0; round < 5; round++) {
        const old = await createKey(t.http, admin.token, { name: `round ${round}` });
        const [rotated, revoked] = await Promise.all([
          rotate(admin, old.id, 3600),
          revoke(admin, old.id),
        ]);
        expect(revoked.status).toBe(200);
        expect(revoked.body.status).toBe('revoked');
        expect([201, 409]).toContain(rotated.status);
        expect(await authenticates(old.key)).toBe(401);

        const keys = await ownKeys(admin);
        expect(keys.find((key) => key.id === old.id)?.status).toBe('revoked');
        const successors = keys.filter((key) => key.status === 'active');
        if (rotated.status === 201) {
          const replacement = rotated.body as CreatedKey;
          expect(successors.map((key) => key.id)).toEqual([replacement.id]);
          expect(await authenticates(replacement.key)).toBe(200);
        } else {
          expectConflict(rotated, 'CONFLICT', /rotated/);
          expect(successors).toEqual([]);
        }
        // The next round starts with no active key.
        await Promise.all(successors.map((key) => revoke(admin, key.id).expect(200)));
      }
    });
  });

  describe('revocations of one key', () => {
    it('ten at once: all answer 200 with the same revocation, recorded once', async () => {
      const admin = await signUp(t.http);
      const key = await createKey(t.http, admin.token);
      expect(await authenticates(key.key)).toBe(200);
      const responses = await together(10, () => revoke(admin, key.id));

      expect(statuses(responses)).toEqual(Array<number>(10).fill(200));
      const revokedAt = new Set(responses.map((r) => (r.body as KeyView).revokedAt));
      expect(revokedAt.size).toBe(1);
      expect([...revokedAt][0]).not.toBeNull();
      expect(await authenticates(key.key)).toBe(401);
      const [shown] = await ownKeys(admin);
      expect(shown).toMatchObject({ id: key.id, status: 'revoked', revokedAt: [...revokedAt][0] });
      expect(await auditActions(admin, key.id)).toEqual(['api_key.created', 'api_key.revoked']);
    });
  });

  describe('the key limit (standard plan: 5 active keys per user)', () => {
    const LIMIT = /API key limit reached: the standard plan allows 5 active keys per user/;

    it('twelve creates at once, by token and by key: exactly the places left are filled', async () => {
      const admin = await signUp(t.http);
      const first = await createKey(t.http, admin.token, { name: 'first' });
      const responses = await together(12, (i) =>
        t
          .http()
          .post('/api/api-keys')
          .set('Authorization', i % 2 === 0 ? `Bearer ${admin.token}` : first.key)
          .send({ name: `racer ${i}` }),
      );

      expect(statuses(responses)).toEqual([...Array<number>(4).fill(201), ...Array(8).fill(409)]);
      for (const refused of responses.filter((r) => r.status === 409))
        expectConflict(refused, 'KEY_LIMIT_REACHED', LIMIT);
      const active = (await ownKeys(admin)).filter((key) => key.status === 'active');
      expect(active).toHaveLength(5);
      for (const created of responses.filter((r) => r.status === 201)) {
        expect(await authenticates((created.body as CreatedKey).key)).toBe(200);
      }
    });

    it('five rotations at the limit with no grace period: all win, the limit still holds', async () => {
      const admin = await signUp(t.http);
      const keys: CreatedKey[] = [];
      for (let i = 0; i < 5; i++)
        keys.push(await createKey(t.http, admin.token, { name: `k${i}` }));
      const responses = await together(5, (i) => rotate(admin, keys[i].id));

      expect(statuses(responses)).toEqual(Array<number>(5).fill(201));
      const active = (await ownKeys(admin)).filter((key) => key.status === 'active');
      expect(active.map((key) => key.id).sort()).toEqual(
        responses.map((r) => (r.body as CreatedKey).id).sort(),
      );
      for (const old of keys) expect(await authenticates(old.key)).toBe(401);
    });

    it('five rotations at the limit with a grace period: one may go over it, the rest get 409', async () => {
      const admin = await signUp(t.http);
      const keys: CreatedKey[] = [];
      for (let i = 0; i < 5; i++)
        keys.push(await createKey(t.http, admin.token, { name: `k${i}` }));
      const responses = await together(5, (i) => rotate(admin, keys[i].id, 3600));

      expect(statuses(responses)).toEqual([201, 409, 409, 409, 409]);
      for (const refused of responses.filter((r) => r.status === 409))
        expectConflict(refused, 'KEY_LIMIT_REACHED', LIMIT);
      const active = (await ownKeys(admin)).filter((key) => key.status === 'active');
      expect(active).toHaveLength(6);
    });

    it('a storm of creates, rotations and revocations: no 5xx, and every key is what its listing says', async () => {
      const admin = await signUp(t.http);
      const keys: CreatedKey[] = [];
      for (let i = 0; i < 5; i++)
        keys.push(await createKey(t.http, admin.token, { name: `k${i}` }));
      const create = (i: number) =>
        t
          .http()
          .post('/api/api-keys')
          .set(bearer(admin.token))
          .send({ name: `storm ${i}` });
      const responses = await Promise.all(
        keys.flatMap((key, i) => [
          rotate(admin, key.id),
          rotate(admin, key.id, 60),
          revoke(admin, key.id),
          create(i),
          t.http().get('/api/user').set('Authorization', key.key),
        ]),
      );

      for (const response of responses) {
        expect([200, 201, 401, 409]).toContain(response.status);
        if (response.status >= 400) {
          expect(response.body).toEqual({
            statusCode: response.status,
            error: expect.any(String),
            code: expect.stringMatching(
              /^(INVALID_API_KEY|API_KEY_EXPIRED|CONFLICT|KEY_LIMIT_REACHED)$/,
            ),
            message: expect.any(String),
          });
        }
      }
      const made = responses.filter((r) => r.status === 201).map((r) => r.body as CreatedKey);
      const listed = new Map((await ownKeys(admin)).map((key) => [key.id, key]));
      expect(listed.size).toBe(keys.length + made.length);
      for (const key of [...keys, ...made]) {
        const status = listed.get(key.id)?.status;
        expect({ id: key.id, works: await authenticates(key.key) }).toEqual({
          id: key.id,
          works: status === 'active' ? 200 : 401,
        });
      }
      // At most one key over the limit, and only while a rotated key is in its grace period.
      const active = [...listed.values()].filter((key) => key.status === 'active');
      expect(active.length).toBeLessThanOrEqual(6);
      for (const key of keys) {
        const rotations = (await auditActions(admin, key.id)).filter((a) => a.endsWith('rotated'));
        expect(rotations.length).toBeLessThanOrEqual(1);
      }
    });

    it('creates racing rotations at the limit: the rotations win, no create slips in', async () => {
      const admin = await signUp(t.http);
      const keys: CreatedKey[] = [];
      for (let i = 0; i < 5; i++)
        keys.push(await createKey(t.http, admin.token, { name: `k${i}` }));
      const responses = await together(10, (i) =>
        i % 2 === 0
          ? rotate(admin, keys[i / 2].id)
          : t
              .http()
              .post('/api/api-keys')
              .set(bearer(admin.token))
              .send({ name: `racer ${i}` }),
      );

      const rotations = responses.filter((_, i) => i % 2 === 0);
      const creates = responses.filter((_, i) => i % 2 === 1);
      expect(statuses(rotations)).toEqual(Array<number>(5).fill(201));
      expect(statuses(creates)).toEqual(Array<number>(5).fill(409));
      const active = (await ownKeys(admin)).filter((key) => key.status === 'active');
      expect(active).toHaveLength(5);
    });
  });
});
