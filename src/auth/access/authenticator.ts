import { ExecutionContext, Injectable } from '@nestjs/common';
import { AppConfig } from '@/config/app-config';
import { ApiError } from '@/common/errors';
import { setPrincipalLogFields } from '@/logging/request-log-context';
import { AuthenticatedRequest } from '../authenticated-request';
import { readCredential } from '../credential';
import { claimedIssuer } from '../oidc/external-claims';
import { Principal } from '../principal';
import { ApiKeyAuthGuard, JwtAuthGuard, OidcAuthGuard } from './strategy-guards';

/**
 * Who is calling. Reads Authorization once, tells an API key from a JWT by its shape (and an
 * external JWT from a local one by the issuer it claims), and hands it to that one Passport
 * strategy, never trying several. Throws 401 (or 503 when an OIDC issuer cannot be reached).
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly config: AppConfig,
    private readonly jwtGuard: JwtAuthGuard,
    private readonly apiKeyGuard: ApiKeyAuthGuard,
    private readonly oidcGuard: OidcAuthGuard,
  ) {}

  async authenticate(context: ExecutionContext): Promise<Principal> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
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
    } else throw new ApiError('MISSING_CREDENTIAL');

    const principal = request.user as Principal;
    setPrincipalLogFields(request.raw, {
      tenantId: principal.tenantId,
      userId: principal.userId,
      apiKeyId: principal.apiKeyId,
    });
    return principal;
  }
}
