import { applyDecorators } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '@/common/dto/error-response.dto';

/**
 * Documents the limit in Swagger. Every route that is not marked @SkipThrottle() is limited
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
