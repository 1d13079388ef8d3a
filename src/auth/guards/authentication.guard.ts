import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig } from '@/config/app-config';
import { ErrorMessages } from '@/common/errors';
import { setPrincipalLogFields } from '@/logging/request-log-context';
import { Role } from '@/users/roles';
import { AuthenticatedRequest } from '../authenticated-request';
import { readCredential } from '../credential';
import { IS_PUBLIC } from '../decorators/public.decorator';
import { REQUIRED_PERMISSIONS, REQUIRED_ROLES } from '../decorators/require-permissions.decorator';
import { Permission } from '../permissions';
import { Principal } from '../principal';
import { ApiKeyAuthGuard, JwtAuthGuard } from './strategy-guards';

/**
 * The one global guard. It reads Authorization once, tells an API key from a JWT by its shape,
 * hands it to that one Passport strategy (never trying several), then checks the route's
 * @Roles() and @RequirePermissions() against the principal. @Public() routes pass untouched.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    private readonly jwtGuard: JwtAuthGuard,
    private readonly apiKeyGuard: ApiKeyAuthGuard,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const credential = readCredential(request.headers.authorization, this.config.apiKeyPrefix);
    request.credential = credential;
    if (credential.kind === 'jwt') await this.jwtGuard.canActivate(context);
    else if (credential.kind === 'api-key') {
      // passport-http-bearer reads `Bearer <key>` only; DESIGN.md also accepts the bare key.
      request.headers.authorization = `Bearer ${credential.token}`;
      await this.apiKeyGuard.canActivate(context);
    } else throw new UnauthorizedException(ErrorMessages.missingCredential);

    const principal = request.user as Principal;
    setPrincipalLogFields(request.raw, {
      tenantId: principal.tenantId,
      userId: principal.userId,
      apiKeyId: principal.apiKeyId,
    });
    this.authorize(principal, context);
    return true;
  }

  private authorize(principal: Principal, context: ExecutionContext): void {
    const targets = [context.getHandler(), context.getClass()];
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    const permissions = this.reflector.getAllAndMerge<Permission[]>(REQUIRED_PERMISSIONS, targets);
    const allowed =
      (!roles || roles.includes(principal.role)) &&
      permissions.every((permission) => principal.permissions.has(permission));
    if (!allowed) throw new ForbiddenException(ErrorMessages.forbidden);
  }
}
