import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig } from '@/config/app-config';
import { ErrorMessages } from '@/common/errors';
import { setPrincipalLogFields } from '@/logging/request-log-context';
import { RateLimitGuard } from '@/throttling/rate-limit.guard';
import { AuthenticatedRequest } from '../authenticated-request';
import { readCredential } from '../credential';
import { IS_PUBLIC } from '../decorators/public.decorator';
import { Principal } from '../principal';
import { ApiKeyAuthGuard, JwtAuthGuard } from './strategy-guards';

/**
 * The first global guard. It reads Authorization once, tells an API key from a JWT by its
 * shape and hands it to that one Passport strategy (never trying several). @Public() routes
 * pass untouched. A failed credential counts against the client IP's unauthenticated limit,
 * and a client over that limit is refused before its credential is looked at.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    private readonly jwtGuard: JwtAuthGuard,
    private readonly apiKeyGuard: ApiKeyAuthGuard,
    private readonly rateLimits: RateLimitGuard,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    this.rateLimits.assertClientNotBlocked(context);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    try {
      await this.authenticate(request, context);
    } catch (error) {
      if (error instanceof UnauthorizedException) {
        await this.rateLimits.countFailedCredential(context);
      }
      throw error;
    }
    const principal = request.user as Principal;
    setPrincipalLogFields(request.raw, {
      tenantId: principal.tenantId,
      userId: principal.userId,
      apiKeyId: principal.apiKeyId,
    });
    return true;
  }

  private async authenticate(
    request: AuthenticatedRequest,
    context: ExecutionContext,
  ): Promise<void> {
    const credential = readCredential(request.headers.authorization, this.config.apiKeyPrefix);
    request.credential = credential;
    if (credential.kind === 'jwt') await this.jwtGuard.canActivate(context);
    else if (credential.kind === 'api-key') {
      // passport-http-bearer reads `Bearer <key>` only; DESIGN.md also accepts the bare key.
      request.headers.authorization = `Bearer ${credential.token}`;
      await this.apiKeyGuard.canActivate(context);
    } else throw new UnauthorizedException(ErrorMessages.missingCredential);
  }
}
