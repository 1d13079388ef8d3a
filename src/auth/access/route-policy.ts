import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { NOT_RATE_LIMITED } from '@/throttling/rate-limited.decorator';
import { Role } from '@/users/roles';
import { IS_PUBLIC } from '../decorators/public.decorator';
import { REQUIRED_PERMISSIONS, REQUIRED_ROLES } from '../decorators/require-permissions.decorator';
import { Permission } from '../permissions';

/** What a route's decorators ask of a request, handler over controller. */
export interface RoutePolicy {
  /** @Public(): no credential is read. */
  readonly public: boolean;
  /** Counted against a rate limit (everything but @NotRateLimited()). */
  readonly rateLimited: boolean;
  /** @Roles(): the caller's role must be one of these. */
  readonly roles?: readonly Role[];
  /** @RequirePermissions(), handler's and controller's together: all are needed. */
  readonly permissions: readonly Permission[];
}

/**
 * Each route's policy, read from its metadata on its first request and kept: decorators are
 * fixed once the app is built, and reading four keys through the prototype chain on every
 * request was a visible share of its cost.
 */
@Injectable()
export class RoutePolicies {
  private readonly policies = new WeakMap<object, WeakMap<object, RoutePolicy>>();

  constructor(private readonly reflector: Reflector) {}

  of(context: ExecutionContext): RoutePolicy {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byController = this.policies.get(handler);
    if (!byController) {
      byController = new WeakMap();
      this.policies.set(handler, byController);
    }
    let policy = byController.get(controller);
    if (!policy) {
      policy = this.read([handler, controller]);
      byController.set(controller, policy);
    }
    return policy;
  }

  private read(on: Parameters<Reflector['getAllAndOverride']>[1]): RoutePolicy {
    return {
      public: this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, on) === true,
      rateLimited: this.reflector.getAllAndOverride<boolean>(NOT_RATE_LIMITED, on) !== true,
      roles: this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, on),
      permissions: this.reflector.getAllAndMerge<Permission[]>(REQUIRED_PERMISSIONS, on),
    };
  }
}
