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
import { claimedIssuer } from '../oidc/external-claims';
import { ApiKeyAuthGuard, JwtAuthGuard, OidcAuthGuard } from './strategy-guards';

/**
 * The first global guard. It reads Authorization once, tells an API key from a JWT by its
 * shape (and an external JWT from a local one by the issuer it claims), and hands it to that
 * one Passport strategy, never trying several. @Public() routes pass untouched. A failed
 * credential counts against the client IP's unauthenticated limit (429 once over it).
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    private readonly jwtGuard: JwtAuthGuard,
    private readonly apiKeyGuard: ApiKeyAuthGuard,
    private readonly oidcGuard: OidcAuthGuard,
    private readonly rateLimits: RateLimitGuard,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

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
    if (credential.kind === 'jwt') {
      // Each verifier checks the issuer again, with the signature and its own algorithms.
      const external =
        this.config.oidcIssuer !== undefined &&
        claimedIssuer(credential.token) === this.config.oidcIssuer;
      await (external ? this.oidcGuard : this.jwtGuard).canActivate(context);
    } else if (credential.kind === 'api-key') {
      // passport-http-bearer reads `Bearer <key>` only; DESIGN.md also accepts the bare key.
      request.headers.authorization = `Bearer ${credential.token}`;
      await this.apiKeyGuard.canActivate(context);
    } else throw new UnauthorizedException(ErrorMessages.missingCredential);
  }
}
