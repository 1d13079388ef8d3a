import { HttpException, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ErrorMessages } from '@/common/errors';
import { Principal } from '../principal';

/** Passport reports JWT failures as `info`; clients get the messages of DESIGN.md section 7. */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  override handleRequest<TUser = Principal>(
    error: unknown,
    principal: unknown,
    info: unknown,
  ): TUser {
    if (error instanceof HttpException || error instanceof Error) throw error;
    if (principal) return principal as TUser;
    const expired = (info as { name?: string } | undefined)?.name === 'TokenExpiredError';
    throw new UnauthorizedException(
      expired ? ErrorMessages.expiredToken : ErrorMessages.invalidToken,
    );
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
