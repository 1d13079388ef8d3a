import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-http-bearer';
import { ApiKeyVerifier } from '@/api-keys/api-key.verifier';
import { ErrorMessages } from '@/common/errors';
import { RateLimiter } from '@/throttling/rate-limiter';
import { Principal } from '../principal';
import { PrincipalResolver } from '../principal.resolver';

/**
 * API keys, through passport-http-bearer: the key's owner, narrowed by the key's scopes. A key
 * this instance has not cached is not looked up for an address already refused for failed
 * credentials (the access guard then answers 429): a key in use keeps working from there.
 */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, 'api-key') {
  constructor(
    private readonly keys: ApiKeyVerifier,
    private readonly principals: PrincipalResolver,
    private readonly rateLimiter: RateLimiter,
  ) {
    super({ passReqToCallback: true });
  }

  async validate(request: FastifyRequest, token: string): Promise<Principal> {
    const key = await this.keys.verify(token, () => !this.rateLimiter.isRefusedClient(request));
    const principal = await this.principals.resolve(key.userId, {
      method: 'api-key',
      apiKeyId: key.id,
      scopes: key.scopes,
    });
    if (principal.tenantId !== key.tenantId) {
      throw new UnauthorizedException(ErrorMessages.invalidApiKey);
    }
    return principal;
  }
}
