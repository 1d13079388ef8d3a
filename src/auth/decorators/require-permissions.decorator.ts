import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiExtension, ApiForbiddenResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '@/common/dto/error-response.dto';
import { Role } from '@/users/roles';
import { Permission } from '../permissions';
import { Authenticated } from './authenticated.decorator';

export const REQUIRED_PERMISSIONS = 'latchkey:permissions';
export const REQUIRED_ROLES = 'latchkey:roles';

function forbidden(requirement: string): MethodDecorator & ClassDecorator {
  return ApiForbiddenResponse({ type: ErrorResponseDto, description: `Requires ${requirement}` });
}

/**
 * The caller needs every one of these permissions: its role's, narrowed by its key's scopes.
 * Documents the requirement (403 and `x-required-permissions`) in Swagger.
 */
export function RequirePermissions(...permissions: Permission[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    Authenticated(),
    SetMetadata(REQUIRED_PERMISSIONS, permissions),
    ApiExtension('x-required-permissions', permissions),
    forbidden(permissions.map((permission) => `\`${permission}\``).join(' and ')),
  );
}

/** The caller's role must be one of these (a key's scopes still narrow what it may do). */
export function Roles(...roles: Role[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    Authenticated(),
    SetMetadata(REQUIRED_ROLES, roles),
    ApiExtension('x-required-roles', roles),
    forbidden(`role ${roles.join(' or ')}`),
  );
}
