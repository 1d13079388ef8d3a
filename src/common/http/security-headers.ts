import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet, { HelmetOptions } from 'helmet';
import { AppConfig } from '@/config/app-config';

/** Response headers browser clients may read (besides the CORS-safelisted ones). */
const EXPOSED_HEADERS = [
  'X-Request-Id',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'Retry-After',
];

/**
 * Helmet's policy for a JSON API whose only page is Swagger UI (its scripts and styles are
 * served from /docs): nothing may frame it, plugins and inline scripts are refused, and
 * requests are not upgraded to https (so that /docs works on plain http://localhost; HSTS still
 * tells browsers to use https once they have seen it there). The headers that only matter to
 * old browsers or plugins (X-Download-Options, X-DNS-Prefetch-Control, X-XSS-Protection,
 * X-Permitted-Cross-Domain-Policies, Origin-Agent-Cluster) are left out: every header is
 * written on every response.
 */
const POLICY: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      upgradeInsecureRequests: null,
    },
  },
  frameguard: { action: 'deny' },
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
};

/**
 * The headers helmet sets for POLICY, computed once. They depend on nothing in the request
 * (no CSP nonces), and @fastify/helmet would rebuild helmet's middleware, CSP parsing
 * included, on every request: that doubled the cost of a health check.
 */
function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  let failure: Error | undefined;
  helmet(POLICY)({} as IncomingMessage, response as unknown as ServerResponse, (error) => {
    failure = error as Error | undefined;
  });
  if (failure) throw failure;
  return headers;
}

const DOCS_HEADERS = securityHeaders();
/** API answers may hold secrets (a new key is shown once): no cache may keep them. */
const API_HEADERS = { ...DOCS_HEADERS, 'cache-control': 'no-store' };

/** The headers every response to `url` carries, computed once. */
export function responseHeaders(url: string): Readonly<Record<string, string>> {
  return url.startsWith('/docs') ? DOCS_HEADERS : API_HEADERS;
}

/**
 * Cross-origin browser calls only from CORS_ORIGINS (none when unset). Credentials travel in
 * the Authorization header, never in cookies, so no `Access-Control-Allow-Credentials`.
 */
export function useCors(app: NestFastifyApplication, config: AppConfig): void {
  const origins = config.corsOrigins;
  if (origins !== '*' && origins.length === 0) return;
  app.enableCors({
    origin: origins === '*' ? '*' : [...origins],
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
}
