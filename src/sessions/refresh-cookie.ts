import { Injectable } from '@nestjs/common';
import { parse, serialize } from 'cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '@/config/app-config';

export const REFRESH_COOKIE = 'latchkey_refresh';

/**
 * The refresh token as a cookie, for the console in a browser: script cannot read it
 * (HttpOnly), no other site's page can make the browser send it (SameSite=Strict), and it
 * travels only to the auth routes that take it (Path=/api/auth). Secure whenever the request
 * came over https (directly, or as a trusted proxy says), PUBLIC_URL is an https address, or
 * NODE_ENV is production.
 */
@Injectable()
export class RefreshCookie {
  private readonly alwaysSecure: boolean;

  constructor(config: AppConfig) {
    // In production the API is served over https, even when a proxy in front does not say so.
    this.alwaysSecure = config.publicUrl.startsWith('https:') || config.nodeEnv === 'production';
  }

  set(request: FastifyRequest, reply: FastifyReply, token: string, sessionExpiresAt: Date): void {
    const maxAge = Math.max(0, Math.floor((sessionExpiresAt.getTime() - Date.now()) / 1000));
    void reply.header(
      'set-cookie',
      serialize(REFRESH_COOKIE, token, this.attributes(request, maxAge)),
    );
  }

  clear(request: FastifyRequest, reply: FastifyReply): void {
    void reply.header('set-cookie', serialize(REFRESH_COOKIE, '', this.attributes(request, 0)));
  }

  read(request: FastifyRequest): string | undefined {
    const header = request.headers.cookie;
    if (!header) return undefined;
    return parse(header)[REFRESH_COOKIE] || undefined;
  }

  private attributes(request: FastifyRequest, maxAge: number) {
    return {
      httpOnly: true,
      sameSite: 'strict' as const,
      path: '/api/auth',
      secure: this.alwaysSecure || request.protocol === 'https',
      maxAge,
    };
  }
}
