import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { createSecretKey } from 'node:crypto';
import { Strategy } from 'passport-jwt';
import { AppConfig } from '@/config/app-config';
import { AuthenticatedRequest } from '../authenticated-request';
import { Principal } from '../principal';
import { PrincipalResolver } from '../principal.resolver';
import { LOCAL_TOKEN_AUDIENCE, LOCAL_TOKEN_ISSUER, LocalTokenPayload } from '../local-token';

/** Latchkey's own access tokens: HS256, our issuer and audience, `exp` required. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly principals: PrincipalResolver,
  ) {
    const secret = createSecretKey(Buffer.from(config.jwtSecret));
    super({
      jwtFromRequest: (request: AuthenticatedRequest) =>
        request.credential?.kind === 'jwt' ? request.credential.token : null,
      // A KeyObject made once: given a string, jsonwebtoken first tries (and fails) to parse it
      // as a PEM public key on every request, which costs more than the rest of the request.
      // The typings name only strings and buffers; jsonwebtoken takes a KeyObject as it is.
      secretOrKeyProvider: (
        _request: unknown,
        _token: unknown,
        done: (error: null, key: Buffer) => void,
      ) => done(null, secret as unknown as Buffer),
      algorithms: ['HS256'],
      issuer: LOCAL_TOKEN_ISSUER,
      audience: LOCAL_TOKEN_AUDIENCE,
      ignoreExpiration: false,
      jsonWebTokenOptions: { complete: false },
    });
  }

  validate(payload: LocalTokenPayload): Promise<Principal> {
    return this.principals.resolveToken(payload);
  }
}
