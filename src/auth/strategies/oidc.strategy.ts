import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-jwt';
import { ApiError } from '@/common/errors';
import { AuthenticatedRequest } from '../authenticated-request';
import { ExternalClaims, hasSubject } from '../oidc/external-claims';
import { ExternalIdentities } from '../oidc/external-identities.service';
import { EXTERNAL_ALGORITHMS, IssuerKeys } from '../oidc/issuer-keys';
import { OidcSettings } from '../oidc/oidc-settings';
import { Principal } from '../principal';
import { PrincipalResolver } from '../principal.resolver';

/** Leeway for the clocks of Latchkey and the issuer on `exp` and `nbf`. */
const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * Tokens of an external OIDC issuer (Auth0 or any other): RS256 or ES256, signed by a key of
 * the issuer's JWKS (IssuerKeys), with its `iss`, our `aud` and an `exp`. Registered only when
 * OIDC_ISSUER is set.
 */
export class OidcStrategy extends PassportStrategy(Strategy, 'oidc') {
  constructor(
    settings: OidcSettings,
    private readonly identities: ExternalIdentities,
    private readonly principals: PrincipalResolver,
  ) {
    const keys = new IssuerKeys(settings.jwksUri);
    super({
      jwtFromRequest: (request: AuthenticatedRequest) =>
        request.credential?.kind === 'jwt' ? request.credential.token : null,
      secretOrKeyProvider: (
        _request: unknown,
        token: string,
        done: (error: unknown, key?: string | Buffer) => void,
      ) => {
        // jsonwebtoken takes a KeyObject as it is; the typings only name strings and buffers.
        void keys.keyFor(token).then((key) => done(null, key as unknown as Buffer), done);
      },
      algorithms: EXTERNAL_ALGORITHMS as ('RS256' | 'ES256')[],
      issuer: settings.issuer,
      audience: settings.audience,
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: CLOCK_TOLERANCE_SECONDS },
    });
  }

  async validate(payload: ExternalClaims & { exp?: unknown }): Promise<Principal> {
    // jsonwebtoken checks `exp` only when present; a token that never expires is refused.
    if (typeof payload.exp !== 'number' || !hasSubject(payload)) {
      throw new ApiError('INVALID_TOKEN');
    }
    const userId = await this.identities.userIdFor(payload);
    if (!userId) throw new ApiError('INVALID_TOKEN');
    return this.principals.resolve(userId, { method: 'oidc' });
  }
}
