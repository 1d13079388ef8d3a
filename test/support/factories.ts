import { randomBytes, randomInt } from 'node:crypto';
import TestAgent from 'supertest/lib/agent';

export const PASSWORD = 'correct horse battery staple';

export function uniqueEmail(label = 'user'): string {
  return `${label}-${Date.now()}-${randomBytes(4).toString('hex')}@example.test`;
}

/**
 * A client address of its own (for an app started with TRUST_PROXY), so that per-address
 * counters, in Redis too, never mix between tests.
 */
export function clientIp(): { 'X-Forwarded-For': string } {
  return { 'X-Forwarded-For': `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}` };
}

export interface SignedUp {
  email: string;
  token: string;
  refreshToken: string;
  userId: string;
  tenantId: string;
}

/** A fresh tenant with its admin: every test works in its own tenant. */
export async function signUp(
  http: () => TestAgent,
  label = 'admin',
  headers: Record<string, string> = {},
): Promise<SignedUp> {
  const email = uniqueEmail(label);
  const response = await http()
    .post('/api/auth/signup')
    .set(headers)
    .send({ tenantName: `${label} tenant`, email, password: PASSWORD, name: label })
    .expect(201);
  const body = response.body as {
    accessToken: string;
    refreshToken: string;
    user: { id: string; tenantId: string };
  };
  return {
    email,
    token: body.accessToken,
    refreshToken: body.refreshToken,
    userId: body.user.id,
    tenantId: body.user.tenantId,
  };
}

export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}

export interface CreatedKey {
  id: string;
  key: string;
  hint: string;
  name: string;
  scopes: string[] | null;
  status: string;
  expiresAt: string | null;
}

export async function createKey(
  http: () => TestAgent,
  token: string,
  body: Record<string, unknown> = {},
): Promise<CreatedKey> {
  const response = await http()
    .post('/api/api-keys')
    .set(bearer(token))
    .send({ name: 'test key', ...body });
  if (response.status !== 201) {
    throw new Error(`create key: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body as CreatedKey;
}

export interface AddedUser {
  id: string;
  email: string;
  token: string;
}

/** A user added by an admin to the admin's tenant, signed in with a password. */
export async function addUser(
  http: () => TestAgent,
  adminToken: string,
  role: 'admin' | 'member' | 'viewer',
  headers: Record<string, string> = {},
): Promise<AddedUser> {
  const email = uniqueEmail(role);
  const created = await http()
    .post('/api/users')
    .set(bearer(adminToken))
    .send({ email, role, password: PASSWORD })
    .expect(201);
  const login = await http()
    .post('/api/auth/login')
    .set(headers)
    .send({ email, password: PASSWORD })
    .expect(200);
  return { id: created.body.id as string, email, token: login.body.accessToken as string };
}

/** A user an admin adds without a password: they are mailed an invitation. 201 expected. */
export async function inviteUser(
  http: () => TestAgent,
  adminToken: string,
  role: 'admin' | 'member' | 'viewer',
  email = uniqueEmail('invitee'),
): Promise<{ id: string; email: string }> {
  const created = await http()
    .post('/api/users')
    .set(bearer(adminToken))
    .send({ email, role })
    .expect(201);
  return { id: created.body.id as string, email };
}

/** An admin (by token or key) sets a user of their tenant active or deactivated; 200 expected. */
export async function setUserStatus(
  http: () => TestAgent,
  credential: string,
  userId: string,
  status: 'active' | 'deactivated',
): Promise<void> {
  await http().patch(`/api/users/${userId}`).set(bearer(credential)).send({ status }).expect(200);
}

export interface SignedIn {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  /** The Set-Cookie header of the answer. */
  cookie: string;
}

/** A login with the test password; 200 expected. */
export async function logIn(
  http: () => TestAgent,
  email: string,
  headers: Record<string, string> = {},
): Promise<SignedIn> {
  const response = await http()
    .post('/api/auth/login')
    .set(headers)
    .send({ email, password: PASSWORD })
    .expect(200);
  return { ...(response.body as Omit<SignedIn, 'cookie'>), cookie: setCookie(response.headers) };
}

/** The one Set-Cookie header of an answer ('' when there is none). */
export function setCookie(headers: Record<string, unknown>): string {
  const value = headers['set-cookie'];
  const values = Array.isArray(value)
    ? (value as string[])
    : typeof value === 'string'
      ? [value]
      : [];
  if (values.length > 1) throw new Error(`more than one Set-Cookie: ${values.join(' | ')}`);
  return values[0] ?? '';
}
