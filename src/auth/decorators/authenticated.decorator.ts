import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { RateLimited } from '@/throttling/rate-limited.decorator';
import { ErrorResponseDto } from '@/common/dto/error-response.dto';

export const IS_AUTHENTICATED = 'latchkey:authenticated';
export const BEARER_SCHEME = 'bearer';

/**
 * Marks a route (or controller) as needing a credential and documents that in Swagger. The
 * global guard protects every route that is not @Public() either way; this makes it explicit,
 * and the route-inventory test insists that each route says one or the other.
 */
export function Authenticated(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(IS_AUTHENTICATED, true),
    ApiBearerAuth(BEARER_SCHEME),
    ApiUnauthorizedResponse({
      type: ErrorResponseDto,
      description: 'Missing, invalid, expired or revoked credential, or an inactive account',
    }),
    RateLimited(),
  );
}
