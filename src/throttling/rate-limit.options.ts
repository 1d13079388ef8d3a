import { ExecutionContext } from '@nestjs/common';
import { ThrottlerModuleOptions } from '@nestjs/throttler';
import { AuthenticatedRequest } from '@/auth/authenticated-request';
import { AppConfig } from '@/config/app-config';

/** Limits are per minute: RPM in the plans, one fixed window in the stores. */
export const RATE_LIMIT_WINDOW_MS = 60_000;

/**
 * One throttler for every route. Its limit is the caller's: the plan (or tenant override) the
 * authentication guard resolved with the principal, or UNAUTHENTICATED_RPM for a client with
 * no principal (signup, login).
 */
export function rateLimitOptions(config: AppConfig): ThrottlerModuleOptions {
  return {
    throttlers: [
      {
        name: 'default',
        ttl: RATE_LIMIT_WINDOW_MS,
        limit: (context: ExecutionContext) => {
          const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
          return principal ? principal.limits.requestsPerMinute : config.unauthenticatedRpm;
        },
      },
    ],
  };
}
