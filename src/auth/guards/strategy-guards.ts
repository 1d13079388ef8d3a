import {
  HttpException,
  Injectable,
  Logger,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ErrorMessages } from '@/common/errors';
import { IssuerUnavailableError } from '../oidc/issuer-keys';
import { Principal } from '../principal';

/** Passport reports JWT failures as `info`; clients get the messages of DESIGN.md section 7. */
function tokenFailure(info: unknown): UnauthorizedException {
  const expired = (info as { name?: string } | undefined)?.name === 'TokenExpiredError';
  return new UnauthorizedException(
    expired ? ErrorMessages.expiredToken : ErrorMessages.invalidToken,
  );
}

@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  override handleRequest<TUser = Principal>(
    error: unknown,
    principal: unknown,
    info: unknown,
  ): TUser {
    if (error instanceof HttpException || error instanceof Error) throw error;
    if (principal) return principal as TUser;
    throw tokenFailure(info);
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
    if (error instanceof HttpException || error instanceof Error) throw error;
    if (principal) return principal as TUser;
    if (info instanceof IssuerUnavailableError) {
      this.logger.warn(`JWKS unreachable: ${info.message}`);
      throw new ServiceUnavailableException(ErrorMessages.unavailable);
    }
    throw tokenFailure(info);
  }
}

@Injectable()
export class ApiKeyAuthGuard extends AuthGuard('api-key') {
  override handleRequest<TUser = Principal>(error: unknown, principal: unknown): TUser {
    if (error instanceof HttpException || error instanceof Error) throw error;
    if (principal) return principal as TUser;
    throw new UnauthorizedException(ErrorMessages.invalidApiKey);
  }
}
