import { parse, serialize } from 'cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The refresh token as a cookie, for the console in a browser: script cannot read it
 * (HttpOnly), no other site's page can make the browser send it (SameSite=Strict), and it
 * travels only to the auth routes that take it (Path=/api/auth). Secure under https.
 */
export const REFRESH_COOKIE = 'latchkey_refresh';
const PATH = '/api/auth';

function attributes(request: FastifyRequest, maxAge: number) {
  return {
    httpOnly: true,
    sameSite: 'strict' as const,
    path: PATH,
    secure: request.protocol === 'https',
    maxAge,
  };
}

export function setRefreshCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  sessionExpiresAt: Date,
): void {
  const maxAge = Math.max(0, Math.floor((sessionExpiresAt.getTime() - Date.now()) / 1000));
  void reply.header('set-cookie', serialize(REFRESH_COOKIE, token, attributes(request, maxAge)));
}

export function clearRefreshCookie(request: FastifyRequest, reply: FastifyReply): void {
  void reply.header('set-cookie', serialize(REFRESH_COOKIE, '', attributes(request, 0)));
}

export function readRefreshCookie(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  return parse(header)[REFRESH_COOKIE] || undefined;
}
