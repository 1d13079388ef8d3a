import { Logger, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { passportJwtSecret } from 'jwks-rsa';
import { Strategy } from 'passport-jwt';
import { ErrorMessages } from '@/common/errors';
import { AuthenticatedRequest } from '../authenticated-request';
import { ExternalClaims, hasSubject } from '../oidc/external-claims';
import { ExternalIdentities } from '../oidc/external-identities.service';
import { OidcSettings } from '../oidc/oidc-settings';
import { Principal } from '../principal';
import { PrincipalResolver } from '../principal.resolver';

/** Signing keys are kept this long, then fetched again on their next use. */
const KEY_CACHE_MS = 10 * 60_000;
/**
 * While the issuer is unreachable, a key past KEY_CACHE_MS is still used for this long (logged):
 * an issuer outage does not lock everyone out, at the price of trusting a key the issuer may
 * have withdrawn meanwhile for at most this long.
 */
const STALE_KEY_MS = 60 * 60_000;
/** At most this many JWKS fetches a minute, whatever the tokens' `kid`s. */
const JWKS_FETCHES_PER_MINUTE = 10;
const JWKS_TIMEOUT_MS = 5_000;
/** Leeway for the clocks of Latchkey and the issuer on `exp` and `nbf`. */
const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * Tokens of an external OIDC issuer (Auth0 or any other): RS256 or ES256, signed by a key of
 * the issuer's JWKS, with its `iss` and our `aud`. The JWKS is fetched once and cached per `kid`
 * (jwks-rsa); an unknown `kid` causes one re-fetch, within a per-minute budget, so a flood of
 * made-up `kid`s cannot hammer the issuer. Registered only when OIDC_ISSUER is set.
 */
export class OidcStrategy extends PassportStrategy(Strategy, 'oidc') {
  constructor(
    settings: OidcSettings,
    private readonly identities: ExternalIdentities,
    private readonly principals: PrincipalResolver,
  ) {
    super({
      jwtFromRequest: (request: AuthenticatedRequest) =>
        request.credential?.kind === 'jwt' ? request.credential.token : null,
      secretOrKeyProvider: passportJwtSecret({
        jwksUri: settings.jwksUri,
        cache: true,
        cacheMaxAge: KEY_CACHE_MS,
        cacheMaxAgeFallback: STALE_KEY_MS,
        rateLimit: true,
        jwksRequestsPerMinute: JWKS_FETCHES_PER_MINUTE,
        timeout: JWKS_TIMEOUT_MS,
        onStaleCacheFallback: (error, kid) =>
          new Logger(OidcStrategy.name).warn(
            `JWKS unreachable (${error.message}); still using cached key ${kid}`,
          ),
      }),
      algorithms: ['RS256', 'ES256'],
      issuer: settings.issuer,
      audience: settings.audience,
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: CLOCK_TOLERANCE_SECONDS },
    });
  }

  async validate(payload: ExternalClaims): Promise<Principal> {
    if (!hasSubject(payload)) throw new UnauthorizedException(ErrorMessages.invalidToken);
    const userId = await this.identities.userIdFor(payload);
    if (!userId) throw new UnauthorizedException(ErrorMessages.invalidToken);
    return this.principals.resolve(userId, { method: 'oidc' });
  }
}
