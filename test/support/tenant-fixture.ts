import { randomBytes } from 'node:crypto';
import TestAgent from 'supertest/lib/agent';
import { CreatedKey, PASSWORD, bearer, createKey, signUp, uniqueEmail } from './factories';
import { ProjectBody, createProject } from './projects';

export type IdKind = 'tenant' | 'user' | 'project' | 'api-key' | 'audit-event';

/** A tenant with a bit of everything, and the strings that must never leave it. */
export interface TenantFixture {
  label: string;
  tenantId: string;
  admin: { id: string; email: string; token: string; key: CreatedKey };
  /** Signed in as a viewer: reads, but cannot change projects, users or the tenant. */
  viewer: { id: string; email: string; token: string };
  projects: ProjectBody[];
  /** A key of the admin that no request authenticates with: free to be revoked or rotated. */
  spareKey: CreatedKey;
  /** The nextCursor of the first one-project page. */
  cursor: string;
  /** Every id of this tenant's rows that the suite knows, by what they name. */
  ids: Record<IdKind, string[]>;
  /** Strings of this tenant alone (ids, names, emails, keys): no other tenant may see one. */
  markers: string[];
}

/** Signs up a tenant and fills it through the API; the viewer signs in with a password. */
export async function createTenantFixture(
  http: () => TestAgent,
  name: string,
): Promise<TenantFixture> {
  const label = `${name}-${randomBytes(6).toString('hex')}`;
  const admin = await signUp(http, label);
  const viewerEmail = uniqueEmail(`${label}-viewer`);
  const viewer = await http()
    .post('/api/users')
    .set(bearer(admin.token))
    .send({ email: viewerEmail, role: 'viewer', name: `${label} viewer`, password: PASSWORD })
    .expect(201);
  const viewerId = viewer.body.id as string;
  const viewerLogin = await http()
    .post('/api/auth/login')
    .send({ email: viewerEmail, password: PASSWORD })
    .expect(200);
  const projects = [
    await createProject(http, admin.token, {
      name: `${label} project one`,
      description: `${label} private notes`,
    }),
    await createProject(http, admin.token, { name: `${label} project two` }),
  ];
  const key = await createKey(http, admin.token, { name: `${label} credential key` });
  const spareKey = await createKey(http, admin.token, {
    name: `${label} spare key`,
    environment: 'test',
    scopes: ['projects:read'],
  });
  const page = await http().get('/api/projects?limit=1').set(bearer(admin.token)).expect(200);
  const audit = await http().get('/api/audit-events').set(bearer(admin.token)).expect(200);
  const auditIds = (audit.body.items as { id: string }[]).map((event) => event.id);

  const ids: Record<IdKind, string[]> = {
    tenant: [admin.tenantId],
    user: [admin.userId, viewerId],
    project: projects.map((project) => project.id),
    'api-key': [key.id, spareKey.id],
    'audit-event': auditIds,
  };
  return {
    label,
    tenantId: admin.tenantId,
    admin: { id: admin.userId, email: admin.email, token: admin.token, key },
    viewer: { id: viewerId, email: viewerEmail, token: viewerLogin.body.accessToken as string },
    projects,
    spareKey,
    cursor: page.body.nextCursor as string,
    ids,
    markers: [label, ...Object.values(ids).flat(), key.key, key.hint, spareKey.key, spareKey.hint],
  };
}
