import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorMessages } from '@/common/errors';
import { Role } from '@/users/roles';
import { AuthenticatedRequest } from '../authenticated-request';
import { IS_PUBLIC } from '../decorators/public.decorator';
import { REQUIRED_PERMISSIONS, REQUIRED_ROLES } from '../decorators/require-permissions.decorator';
import { Permission } from '../permissions';

/**
 * The last global guard: the route's @Roles() and @RequirePermissions() against the principal
 * the authentication guard resolved (a key's scopes already narrowed its permissions).
 */
@Injectable()
export class AuthorizationGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    // Unreachable while AuthenticationGuard runs first; refuse rather than trust the order.
    if (!principal) throw new UnauthorizedException(ErrorMessages.missingCredential);

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    const permissions = this.reflector.getAllAndMerge<Permission[]>(REQUIRED_PERMISSIONS, targets);
    const allowed =
      (!roles || roles.includes(principal.role)) &&
      permissions.every((permission) => principal.permissions.has(permission));
    if (!allowed) throw new ForbiddenException(ErrorMessages.forbidden);
    return true;
  }
}
