import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '@/common/dto/error-response.dto';

export const NOT_RATE_LIMITED = 'latchkey:not-rate-limited';

/**
 * Documents the limit in Swagger. Every route that is not marked @NotRateLimited() is limited
 * whether or not it says so; @Authenticated() applies this.
 */
export function RateLimited(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiTooManyRequestsResponse({
      type: ErrorResponseDto,
      description:
        'Over the rate limit. Every limited response, this one included, carries ' +
        '`X-RateLimit-Limit` (per minute), `X-RateLimit-Remaining` and `X-RateLimit-Reset` ' +
        '(seconds until the window ends).',
      headers: {
        'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } },
      },
    }),
  );
}

/** Health checks and the operator's own calls: not counted, no X-RateLimit-* headers. */
export const NotRateLimited = (): MethodDecorator & ClassDecorator =>
  SetMetadata(NOT_RATE_LIMITED, true);
