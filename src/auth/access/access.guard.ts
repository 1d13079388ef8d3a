import { CanActivate, ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiError } from '@/common/errors';
import { RateLimiter } from '@/throttling/rate-limiter';
import { AuthenticatedRequest } from '../authenticated-request';
import { Principal } from '../principal';
import { Authenticator } from './authenticator';
import { RoutePolicies, RoutePolicy } from './route-policy';

/**
 * The one global guard. Every request, in this order: who is calling (401), within their rate
 * limit (429), allowed here (403). A failed credential counts against the client IP's limit,
 * so a flood of wrong keys is refused with 429 once over it; a valid key from the same address
 * (a NAT) still works. @Public() routes read no credential and count against the client IP;
 * @NotRateLimited() routes are not counted.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly policies: RoutePolicies,
    private readonly authenticator: Authenticator,
    private readonly rateLimiter: RateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.policies.of(context);
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (policy.public) {
      if (policy.rateLimited) await this.rateLimiter.count(request, reply);
      return true;
    }

    let principal: Principal;
    try {
      principal = await this.authenticator.authenticate(context);
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() === 401) {
        await this.rateLimiter.count(request, reply);
      }
      throw error;
    }
    if (policy.rateLimited) await this.rateLimiter.count(request, reply, principal);
    if (!allowed(principal, policy)) throw new ApiError('FORBIDDEN');
    return true;
  }
}

/** The route's roles and permissions against the principal (a key's scopes already narrowed). */
function allowed(principal: Principal, policy: RoutePolicy): boolean {
  return (
    (!policy.roles || policy.roles.includes(principal.role)) &&
    policy.permissions.every((permission) => principal.permissions.has(permission))
  );
}
