import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { ApiKeyVerifier } from '@/api-keys/api-key.verifier';
import { ApiError } from '@/common/errors';
import { Principal } from '../principal';
import { PrincipalResolver } from '../principal.resolver';

/** API keys, through passport-http-bearer: the key's owner, narrowed by the key's scopes. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, 'api-key') {
  constructor(
    private readonly keys: ApiKeyVerifier,
    private readonly principals: PrincipalResolver,
  ) {
    super();
  }

  async validate(token: string): Promise<Principal> {
    const key = await this.keys.verify(token);
    const principal = await this.principals.resolve(key.userId, {
      method: 'api-key',
      apiKeyId: key.id,
      scopes: key.scopes,
    });
    if (principal.tenantId !== key.tenantId) {
      throw new ApiError('INVALID_API_KEY');
    }
    return principal;
  }
}
