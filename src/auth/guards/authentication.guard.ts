import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig } from '@/config/app-config';
import { ErrorMessages } from '@/common/errors';
import { AuthenticatedRequest } from '../authenticated-request';
import { readCredential } from '../credential';
import { IS_PUBLIC } from '../decorators/public.decorator';
import { JwtAuthGuard } from './strategy-guards';

/**
 * The one global guard. It reads Authorization once, tells an API key from a JWT by its shape,
 * and hands it to that one Passport strategy (never trying several). @Public() routes pass.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    private readonly jwtGuard: JwtAuthGuard,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const credential = readCredential(request.headers.authorization, this.config.apiKeyPrefix);
    request.credential = credential;
    switch (credential.kind) {
      case 'jwt':
        return (await this.jwtGuard.canActivate(context)) as boolean;
      case 'api-key':
        throw new UnauthorizedException(ErrorMessages.invalidApiKey);
      default:
        throw new UnauthorizedException(ErrorMessages.missingCredential);
    }
  }
}
