import { ROLE_PERMISSIONS, effectivePermissions } from './permissions';

describe('permissions', () => {
  it('gives viewers read, members write and admins everything', () => {
    expect(ROLE_PERMISSIONS.viewer.has('projects:read')).toBe(true);
    expect(ROLE_PERMISSIONS.viewer.has('projects:write')).toBe(false);
    expect(ROLE_PERMISSIONS.member.has('projects:write')).toBe(true);
    expect(ROLE_PERMISSIONS.member.has('projects:delete')).toBe(false);
    expect(ROLE_PERMISSIONS.member.has('users:manage')).toBe(false);
    for (const permission of ROLE_PERMISSIONS.member) {
      expect(ROLE_PERMISSIONS.admin.has(permission)).toBe(true);
    }
  });

  it('lets key scopes narrow but never widen the role', () => {
    expect([...effectivePermissions('member', ['projects:read', 'users:manage'])]).toEqual([
      'projects:read',
    ]);
    expect([...effectivePermissions('admin', ['audit:read'])]).toEqual(['audit:read']);
    expect(effectivePermissions('viewer', null)).toBe(ROLE_PERMISSIONS.viewer);
    expect(effectivePermissions('viewer', []).size).toBe(0);
  });
});
