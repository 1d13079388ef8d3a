import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { IS_AUTHENTICATED } from '@/auth/decorators/authenticated.decorator';
import { IS_PUBLIC } from '@/auth/decorators/public.decorator';
import { TestApp, startApp } from './support/app';

interface Route {
  name: string;
  isPublic: boolean;
  isAuthenticated: boolean;
}

/** Every handler of every controller, with what its decorators say about access. */
function listRoutes(t: TestApp): Route[] {
  const routes: Route[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const key of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[key];
        if (key === 'constructor' || typeof handler !== 'function') continue;
        if (!Reflect.hasMetadata(PATH_METADATA, handler)) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const flag = (meta: string) =>
          Reflect.getMetadata(meta, handler) === true ||
          Reflect.getMetadata(meta, controller) === true;
        routes.push({
          name: `${method} ${controller.name}.${key}`,
          isPublic: flag(IS_PUBLIC),
          isAuthenticated: flag(IS_AUTHENTICATED),
        });
      }
    }
  }
  return routes;
}

describe('Secure by default: the route inventory', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp({ OPERATOR_TOKEN: 'operator-token-for-the-route-inventory-0123' });
  });
  afterAll(() => t.close());

  it('has no route that is neither @Public() nor @Authenticated()', () => {
    const routes = listRoutes(t);
    expect(routes.length).toBeGreaterThan(3);
    const undeclared = routes.filter((route) => route.isPublic === route.isAuthenticated);
    expect(undeclared.map((route) => route.name)).toEqual([]);
  });

  it('answers 401 without a credential on every route the OpenAPI document marks as secured', async () => {
    const document = (await t.http().get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    const secured: [string, string][] = [];
    const open: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (operation.security?.length) secured.push([method, path]);
        else open.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(open.sort()).toEqual([
      'GET /health/live',
      'GET /health/ready',
      'POST /api/auth/accept-invite',
      'POST /api/auth/forgot-password',
      'POST /api/auth/login',
      'POST /api/auth/logout',
      'POST /api/auth/refresh',
      'POST /api/auth/reset-password',
      'POST /api/auth/signup',
      'POST /api/auth/verify-email',
    ]);
    expect(secured.length).toBeGreaterThan(0);
    for (const [method, path] of secured) {
      const url = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
      const response = await t.http()[method as 'get'](url).send({});
      expect({ route: `${method} ${path}`, status: response.status }).toEqual({
        route: `${method} ${path}`,
        status: 401,
      });
    }
  });
});
