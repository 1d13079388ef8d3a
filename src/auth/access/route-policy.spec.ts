import { Controller, ExecutionContext, Get, Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { NotRateLimited } from '@/throttling/rate-limited.decorator';
import { Public } from '../decorators/public.decorator';
import { RequirePermissions, Roles } from '../decorators/require-permissions.decorator';
import { RoutePolicies } from './route-policy';

function context(controller: Type, handler: string): ExecutionContext {
  const method = (controller.prototype as Record<string, () => unknown>)[handler];
  return { getHandler: () => method, getClass: () => controller } as unknown as ExecutionContext;
}

@RequirePermissions('projects:read')
@Roles('admin')
@Controller('base')
class BaseController {
  @Get('a')
  @RequirePermissions('projects:write')
  @Roles('admin', 'member')
  list(): void {}

  @Get('b')
  @Public()
  @NotRateLimited()
  open(): void {}

  @Get('c')
  inherited(): void {}
}

@Public()
@Controller('sub')
class SubController extends BaseController {}

describe('RoutePolicies', () => {
  const policies = new RoutePolicies(new Reflector());

  it('takes roles from the handler over the controller, and needs both sets of permissions', () => {
    expect(policies.of(context(BaseController, 'list'))).toEqual({
      public: false,
      rateLimited: true,
      roles: ['admin', 'member'],
      permissions: ['projects:write', 'projects:read'],
    });
  });

  it('reads @Public() and @NotRateLimited()', () => {
    expect(policies.of(context(BaseController, 'open'))).toMatchObject({
      public: true,
      rateLimited: false,
    });
  });

  it('keeps one policy per controller for a handler they share', () => {
    expect(policies.of(context(BaseController, 'inherited')).public).toBe(false);
    expect(policies.of(context(SubController, 'inherited')).public).toBe(true);
    expect(policies.of(context(BaseController, 'inherited')).public).toBe(false);
  });

  it('reads a route once', () => {
    const route = context(BaseController, 'list');
    expect(policies.of(route)).toBe(policies.of(route));
  });
});
