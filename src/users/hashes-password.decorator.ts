import { applyDecorators } from '@nestjs/common';
import { ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '@/common/dto/error-response.dto';

/** Documents the answer of a route whose password work finds the hashing queue full. */
export function HashesPassword(): MethodDecorator {
  return applyDecorators(
    ApiServiceUnavailableResponse({
      type: ErrorResponseDto,
      description:
        '`UNAVAILABLE`: too many password checks at once (or the database is unreachable); ' +
        'retry after `Retry-After` seconds',
      headers: {
        'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } },
      },
    }),
  );
}
