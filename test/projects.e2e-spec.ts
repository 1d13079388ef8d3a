import { DataSource } from 'typeorm';
import { TestApp, startApp } from './support/app';
import { bearer, createKey, signUp } from './support/factories';
import { ProjectBody, createProject } from './support/projects';

const FORBIDDEN = {
  statusCode: 403,
  error: 'Forbidden',
  code: 'FORBIDDEN',
  message: "You don't have permission to access this resource",
};

const NOT_FOUND = {
  statusCode: 404,
  error: 'Not Found',
  code: 'NOT_FOUND',
  message: 'Project not found',
};

interface StoredProject {
  tenant_id: string;
  name: string;
  description: string | null;
  created_by: string | null;
}

describe('Projects', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  const stored = async (id: string): Promise<StoredProject | undefined> => {
    const rows = await t.app
      .get(DataSource)
      .query<StoredProject[]>(
        'SELECT tenant_id, name, description, created_by FROM projects WHERE id = $1',
        [id],
      );
    return rows[0];
  };

  const listIds = async (token: string, query = ''): Promise<string[]> => {
    const response = await t.http().get(`/api/projects${query}`).set(bearer(token)).expect(200);
    return (response.body.items as ProjectBody[]).map((project) => project.id);
  };

  describe('creating', () => {
    it('answers 201 with the trimmed project, the caller as creator and timestamps', async () => {
      const admin = await signUp(t.http);
      const before = Date.now();
      const response = await t
        .http()
        .post('/api/projects')
        .set(bearer(admin.token))
        .send({ name: '  Website relaunch  ', description: '  The new site  ' })
        .expect(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Website relaunch',
        description: 'The new site',
        createdBy: admin.userId,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const createdAt = new Date(response.body.createdAt).getTime();
      expect(createdAt).toBeGreaterThanOrEqual(before - 1000);
      expect(createdAt).toBeLessThanOrEqual(Date.now() + 1000);
      expect(response.body.updatedAt).toBe(response.body.createdAt);
      expect(await stored(response.body.id)).toEqual({
        tenant_id: admin.tenantId,
        name: 'Website relaunch',
        description: 'The new site',
        created_by: admin.userId,
      });
    });

    it('stores no description as null', async () => {
      const admin = await signUp(t.http);
      const project = await createProject(t.http, admin.token, { name: 'Bare' });
      expect(project.description).toBeNull();
    });

    it.each([
      ['no name', 'name', {}],
      ['an empty name', 'name', { name: '   ' }],
      ['a null name', 'name', { name: null }],
      ['a name that is not a string', 'name', { name: 42 }],
      ['a name over 100 characters', 'name', { name: 'x'.repeat(101) }],
      [
        'a description over 2000 characters',
        'description',
        { name: 'p', description: 'x'.repeat(2001) },
      ],
    ])('refuses %s with 400 naming the field %s', async (_, field, body) => {
      const admin = await signUp(t.http);
      const response = await t
        .http()
        .post('/api/projects')
        .set(bearer(admin.token))
        .send(body)
        .expect(400);
      expect(response.body).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        code: 'VALIDATION_FAILED',
        errors: [expect.objectContaining({ field })],
      });
      expect(await listIds(admin.token)).toEqual([]);
    });

    it('accepts a name of exactly 100 characters after trimming', async () => {
      const admin = await signUp(t.http);
      const name = 'x'.repeat(100);
      const project = await createProject(t.http, admin.token, { name: `  ${name}  ` });
      expect(project.name).toBe(name);
    });

    it('refuses tenantId and createdBy in the body, and creates nothing anywhere', async () => {
      const admin = await signUp(t.http, 'mine');
      const other = await signUp(t.http, 'theirs');
      for (const field of [{ tenantId: other.tenantId }, { createdBy: other.userId }]) {
        const response = await t
          .http()
          .post('/api/projects')
          .set(bearer(admin.token))
          .send({ name: 'smuggled', ...field })
          .expect(400);
        expect(response.body.message).toBe(`property ${Object.keys(field)[0]} should not exist`);
      }
      expect(await listIds(admin.token)).toEqual([]);
      expect(await listIds(other.token)).toEqual([]);
      const rows = await t.app
        .get(DataSource)
        .query(`SELECT id FROM projects WHERE name = 'smuggled' AND tenant_id IN ($1, $2)`, [
          admin.tenantId,
          other.tenantId,
        ]);
      expect(rows).toEqual([]);
    });
  });

  describe('reading', () => {
    it('answers one project by id', async () => {
      const admin = await signUp(t.http);
      const project = await createProject(t.http, admin.token, { description: 'd' });
      const response = await t
        .http()
        .get(`/api/projects/${project.id}`)
        .set(bearer(admin.token))
        .expect(200);
      expect(response.body).toEqual(project);
    });

    it('answers 404 for an id that does not exist, and 400 for one that is not a uuid', async () => {
      const admin = await signUp(t.http);
      const missing = await t
        .http()
        .get('/api/projects/00000000-0000-4000-8000-000000000000')
        .set(bearer(admin.token))
        .expect(404);
      expect(missing.body).toEqual(NOT_FOUND);
      const http = t.http;
      const responses = await Promise.all([
        http().get('/api/projects/not-a-uuid').set(bearer(admin.token)),
        http().patch('/api/projects/not-a-uuid').set(bearer(admin.token)).send({ name: 'x' }),
        http().delete('/api/projects/not-a-uuid').set(bearer(admin.token)),
      ]);
      for (const response of responses) {
        expect(response.status).toBe(400);
        expect(response.body.error).toBe('Bad Request');
      }
    });

    it('lists newest first, page by page, with nextCursor null on the last page', async () => {
      const admin = await signUp(t.http);
      const created: ProjectBody[] = [];
      for (const name of ['a', 'b', 'c', 'd', 'e']) {
        created.push(await createProject(t.http, admin.token, { name }));
      }
      const newestFirst = [...created].reverse();

      const all = await t.http().get('/api/projects').set(bearer(admin.token)).expect(200);
      expect(all.body).toEqual({ items: newestFirst, nextCursor: null });

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
        const page = await t
          .http()
          .get(`/api/projects${query}`)
          .set(bearer(admin.token))
          .expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...(page.body.items as ProjectBody[]).map((project) => project.id));
        cursor = page.body.nextCursor as string | null;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(newestFirst.map((project) => project.id));
    });

    it('pages through projects created in the same millisecond without losing any', async () => {
      const admin = await signUp(t.http);
      const db = t.app.get(DataSource);
      const times = ['.123100', '.123200', '.123300', '.123400'].map(
        (fraction) => `2030-01-01T00:00:00${fraction}Z`,
      );
      for (const [i, time] of times.entries()) {
        await db.query(
          `INSERT INTO projects (tenant_id, name, created_by, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $4)`,
          [admin.tenantId, `same ms ${i}`, admin.userId, time],
        );
      }
      const all = await listIds(admin.token);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `?limit=1&cursor=${cursor}` : '?limit=1';
        const page = await t
          .http()
          .get(`/api/projects${query}`)
          .set(bearer(admin.token))
          .expect(200);
        seen.push(...(page.body.items as ProjectBody[]).map((project) => project.id));
        cursor = page.body.nextCursor as string | null;
      } while (cursor && seen.length <= times.length);
      expect(seen).toEqual(all);
      expect(seen).toHaveLength(times.length);
    });

    it.each([['limit=101'], ['limit=0'], ['limit=ten'], ['cursor=garbage'], ['tenantId=x']])(
      'refuses the query %s with 400',
      async (query) => {
        const admin = await signUp(t.http);
        const response = await t
          .http()
          .get(`/api/projects?${query}`)
          .set(bearer(admin.token))
          .expect(400);
        expect(response.body.error).toBe('Bad Request');
      },
    );
  });

  describe('updating', () => {
    it('changes the name and the description, and bumps updatedAt', async () => {
      const admin = await signUp(t.http);
      const project = await createProject(t.http, admin.token, { name: 'Old', description: 'old' });
      const renamed = await t
        .http()
        .patch(`/api/projects/${project.id}`)
        .set(bearer(admin.token))
        .send({ name: '  New  ' })
        .expect(200);
      expect(renamed.body).toEqual({
        ...project,
        name: 'New',
        updatedAt: expect.any(String),
      });
      expect(new Date(renamed.body.updatedAt).getTime()).toBeGreaterThanOrEqual(
        new Date(project.updatedAt).getTime(),
      );

      const described = await t
        .http()
        .patch(`/api/projects/${project.id}`)
        .set(bearer(admin.token))
        .send({ description: 'new' })
        .expect(200);
      expect(described.body).toMatchObject({ name: 'New', description: 'new' });

      const cleared = await t
        .http()
        .patch(`/api/projects/${project.id}`)
        .set(bearer(admin.token))
        .send({ description: null })
        .expect(200);
      expect(cleared.body).toMatchObject({ name: 'New', description: null });

      const shown = await t
        .http()
        .get(`/api/projects/${project.id}`)
        .set(bearer(admin.token))
        .expect(200);
      expect(shown.body).toEqual(cleared.body);
    });

    it('changes nothing for an empty body', async () => {
      const admin = await signUp(t.http);
      const project = await createProject(t.http, admin.token, { description: 'd' });
      const response = await t
        .http()
        .patch(`/api/projects/${project.id}`)
        .set(bearer(admin.token))
        .send({})
        .expect(200);
      expect(response.body).toEqual(project);
    });

    it.each([
      ['an empty name', { name: '  ' }],
      ['a null name', { name: null }],
      ['a name over 100 characters', { name: 'x'.repeat(101) }],
      ['a description over 2000 characters', { description: 'x'.repeat(2001) }],
    ])('refuses %s with 400 and keeps the project as it was', async (_, body) => {
      const admin = await signUp(t.http);
      const project = await createProject(t.http, admin.token, { name: 'Kept', description: 'd' });
      const response = await t
        .http()
        .patch(`/api/projects/${project.id}`)
        .set(bearer(admin.token))
        .send(body)
        .expect(400);
      expect(response.body.error).toBe('Bad Request');
      const shown = await t
        .http()
        .get(`/api/projects/${project.id}`)
        .set(bearer(admin.token))
        .expect(200);
      expect(shown.body).toEqual(project);
    });

    it('refuses tenantId and createdBy in the body and applies nothing', async () => {
      const admin = await signUp(t.http, 'mine');
      const other = await signUp(t.http, 'theirs');
      const project = await createProject(t.http, admin.token, { name: 'Kept' });
      for (const field of [{ tenantId: other.tenantId }, { createdBy: other.userId }]) {
        await t
          .http()
          .patch(`/api/projects/${project.id}`)
          .set(bearer(admin.token))
          .send({ name: 'Changed', ...field })
          .expect(400);
      }
      expect(await stored(project.id)).toEqual({
        tenant_id: admin.tenantId,
        name: 'Kept',
        description: null,
        created_by: admin.userId,
      });
      expect(await listIds(other.token)).toEqual([]);
    });
  });

  describe('deleting', () => {
    it('answers 204 with no body, then 404 for the project', async () => {
      const admin = await signUp(t.http);
      const project = await createProject(t.http, admin.token);
      const kept = await createProject(t.http, admin.token, { name: 'kept' });
      const response = await t
        .http()
        .delete(`/api/projects/${project.id}`)
        .set(bearer(admin.token))
        .expect(204);
      expect(response.text).toBe('');

      const http = t.http;
      for (const gone of [
        http().get(`/api/projects/${project.id}`).set(bearer(admin.token)),
        http().patch(`/api/projects/${project.id}`).set(bearer(admin.token)).send({ name: 'x' }),
        http().delete(`/api/projects/${project.id}`).set(bearer(admin.token)),
      ]) {
        const answer = await gone;
        expect(answer.status).toBe(404);
        expect(answer.body).toEqual(NOT_FOUND);
      }
      expect(await stored(project.id)).toBeUndefined();
      expect(await listIds(admin.token)).toEqual([kept.id]);
    });
  });

  describe('tenants', () => {
    it("answer 404 for another tenant's project on every route, and never list it", async () => {
      const mine = await signUp(t.http, 'mine');
      const theirs = await signUp(t.http, 'theirs');
      const own = await createProject(t.http, mine.token, { name: 'mine' });
      const their = await createProject(t.http, theirs.token, { name: 'theirs' });
      const http = t.http;
      const responses = await Promise.all([
        http().get(`/api/projects/${their.id}`).set(bearer(mine.token)),
        http().patch(`/api/projects/${their.id}`).set(bearer(mine.token)).send({ name: 'x' }),
        http().patch(`/api/projects/${their.id}`).set(bearer(mine.token)).send({}),
        http().delete(`/api/projects/${their.id}`).set(bearer(mine.token)),
      ]);
      for (const response of responses) {
        expect(response.status).toBe(404);
        expect(response.body).toEqual(NOT_FOUND);
      }

      const untouched = await http()
        .get(`/api/projects/${their.id}`)
        .set(bearer(theirs.token))
        .expect(200);
      expect(untouched.body).toEqual(their);

      const list = await http().get('/api/projects').set(bearer(mine.token)).expect(200);
      expect(list.text).not.toContain(their.id);
      expect(await listIds(mine.token)).toEqual([own.id]);
      expect(await listIds(theirs.token)).toEqual([their.id]);
    });
  });

  describe('permissions', () => {
    it('let a key scoped to projects:read list and read, but not write or delete', async () => {
      const admin = await signUp(t.http);
      const project = await createProject(t.http, admin.token);
      const readOnly = await createKey(t.http, admin.token, { scopes: ['projects:read'] });

      expect(await listIds(readOnly.key)).toEqual([project.id]);
      await t.http().get(`/api/projects/${project.id}`).set(bearer(readOnly.key)).expect(200);

      const http = t.http;
      const refused = await Promise.all([
        http().post('/api/projects').set(bearer(readOnly.key)).send({ name: 'x' }),
        http().patch(`/api/projects/${project.id}`).set(bearer(readOnly.key)).send({ name: 'x' }),
        http().delete(`/api/projects/${project.id}`).set(bearer(readOnly.key)),
      ]);
      for (const response of refused) {
        expect(response.status).toBe(403);
        expect(response.body).toEqual(FORBIDDEN);
      }
      expect(await listIds(admin.token)).toEqual([project.id]);
      expect((await stored(project.id))?.name).toBe('test project');
    });

    it('let a key create projects as its owner', async () => {
      const admin = await signUp(t.http);
      const writer = await createKey(t.http, admin.token, {
        scopes: ['projects:read', 'projects:write'],
      });
      const project = await createProject(t.http, writer.key, { name: 'by key' });
      expect(project.createdBy).toBe(admin.userId);
      await t.http().delete(`/api/projects/${project.id}`).set(bearer(writer.key)).expect(403);
    });

    it('answer 401 without a credential', async () => {
      const response = await t.http().get('/api/projects').expect(401);
      expect(response.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        code: 'MISSING_CREDENTIAL',
        message: 'Invalid or missing authentication token',
      });
    });
  });
});
