import { Injectable, Logger } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ApiError } from '@/common/errors';
import { IssuerUnavailableError } from '../oidc/issuer-keys';
import { Principal } from '../principal';

/**
 * What every strategy's outcome comes to: an error thrown by the strategy (an HTTP error of
 * ours, or a failing database) goes on as it is, a principal is the caller, and anything else
 * is the strategy's failure, turned into the answer `failure` gives.
 */
function settle<TUser>(error: unknown, principal: unknown, failure: () => Error): TUser {
  if (error instanceof Error) throw error;
  if (principal) return principal as TUser;
  throw failure();
}

/** Passport reports JWT failures as `info`; clients get the messages of DESIGN.md section 7. */
function tokenFailure(info: unknown): ApiError {
  const expired = (info as { name?: string } | undefined)?.name === 'TokenExpiredError';
  return new ApiError(expired ? 'TOKEN_EXPIRED' : 'INVALID_TOKEN');
}

@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  override handleRequest<TUser = Principal>(
    error: unknown,
    principal: unknown,
    info: unknown,
  ): TUser {
    return settle(error, principal, () => tokenFailure(info));
  }
}

/** External tokens: as local ones, plus 503 when the issuer's keys could not be fetched. */
@Injectable()
export class OidcAuthGuard extends AuthGuard('oidc') {
  private readonly logger = new Logger(OidcAuthGuard.name);

  override handleRequest<TUser = Principal>(
    error: unknown,
    principal: unknown,
    info: unknown,
  ): TUser {
    return settle(error, principal, () => {
      if (!(info instanceof IssuerUnavailableError)) return tokenFailure(info);
      this.logger.warn(`JWKS unreachable: ${info.message}`);
      return new ApiError('UNAVAILABLE');
    });
  }
}

@Injectable()
export class ApiKeyAuthGuard extends AuthGuard('api-key') {
  override handleRequest<TUser = Principal>(error: unknown, principal: unknown): TUser {
    return settle(error, principal, () => new ApiError('INVALID_API_KEY'));
  }
}
