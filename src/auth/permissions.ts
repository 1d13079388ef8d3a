import { Role } from '@/users/roles';

export const PERMISSIONS = [
  'projects:read',
  'projects:write',
  'projects:delete',
  'api-keys:read',
  'api-keys:write',
  'api-keys:manage',
  'users:manage',
  'tenant:read',
  'tenant:manage',
  'audit:read',
  'account:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const VIEWER: readonly Permission[] = [
  'projects:read',
  'api-keys:read',
  'api-keys:write',
  'tenant:read',
  'account:manage',
];
const MEMBER: readonly Permission[] = [...VIEWER, 'projects:write'];
const ADMIN: readonly Permission[] = PERMISSIONS;

/**
 * What each role may do. `api-keys:write` is on the caller's own keys; `api-keys:manage` is
 * tenant-wide; `account:manage` is the caller's own sessions, password and email.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  viewer: new Set(VIEWER),
  member: new Set(MEMBER),
  admin: new Set(ADMIN),
};

/** True when every permission of `wanted` is in `held`. */
export function holdsAll(held: ReadonlySet<Permission>, wanted: Iterable<Permission>): boolean {
  for (const permission of wanted) if (!held.has(permission)) return false;
  return true;
}

/** A key's scopes only narrow: what the role allows and the key names. null: the role's. */
export function effectivePermissions(
  role: Role,
  scopes: readonly Permission[] | null | undefined,
): ReadonlySet<Permission> {
  const granted = ROLE_PERMISSIONS[role];
  if (!scopes) return granted;
  return new Set(scopes.filter((scope) => granted.has(scope)));
}
