import { UseGuards, applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Public } from '@/auth/decorators/public.decorator';
import { ErrorResponseDto } from '@/common/dto/error-response.dto';
import { NotRateLimited } from '@/throttling/rate-limited.decorator';
import { OperatorGuard } from './operator.guard';

export const OPERATOR_SCHEME = 'operator';

/**
 * For the people who run the service, not for tenants: no tenant credential is looked at
 * (hence @Public() to the tenant guard); the OPERATOR_TOKEN is required instead. The operator
 * is not rate-limited, but a wrong token counts against the client IP like any failed
 * credential.
 */
export function OperatorOnly(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    Public(),
    NotRateLimited(),
    UseGuards(OperatorGuard),
    ApiBearerAuth(OPERATOR_SCHEME),
    ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'Not the operator token' }),
    ApiNotFoundResponse({ type: ErrorResponseDto, description: 'OPERATOR_TOKEN is not set' }),
    ApiTooManyRequestsResponse({
      type: ErrorResponseDto,
      description: 'Too many wrong tokens from this address',
    }),
  );
}
