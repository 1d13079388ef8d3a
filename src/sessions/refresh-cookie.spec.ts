import type { FastifyReply, FastifyRequest } from 'fastify';
import { loadConfig } from '@/config/load-config';
import { RefreshCookie } from './refresh-cookie';

const SECRET = 'a-jwt-secret-that-is-at-least-32-characters';

/** What the cookie writes on a reply to a request of `protocol`. */
function written(publicUrl: string | undefined, protocol: 'http' | 'https'): string {
  const cookie = new RefreshCookie(loadConfig({ JWT_SECRET: SECRET, PUBLIC_URL: publicUrl }));
  const headers: Record<string, string> = {};
  const reply = { header: (name: string, value: string) => (headers[name] = value) };
  const expiresAt = new Date(Date.now() + 3_600_000);
  cookie.set({ protocol } as FastifyRequest, reply as unknown as FastifyReply, 'tok', expiresAt);
  return headers['set-cookie'];
}

describe('RefreshCookie', () => {
  it('is HttpOnly, SameSite=Strict, for /api/auth, with the time the session has left', () => {
    expect(written(undefined, 'http')).toMatch(
      /^latchkey_refresh=tok; Max-Age=(3599|3600); Path=\/api\/auth; HttpOnly; SameSite=Strict$/,
    );
  });

  it('is Secure for a request over https, and always when PUBLIC_URL is https', () => {
    expect(written(undefined, 'https')).toContain('; Secure');
    expect(written('https://console.example.com', 'http')).toContain('; Secure');
    expect(written('http://localhost:3000', 'http')).not.toContain('Secure');
  });

  it('reads the token back from a Cookie header among others', () => {
    const cookie = new RefreshCookie(loadConfig({ JWT_SECRET: SECRET }));
    const request = (header?: string) => ({ headers: { cookie: header } }) as FastifyRequest;
    expect(cookie.read(request('theme=dark; latchkey_refresh=abc; lang=en'))).toBe('abc');
    expect(cookie.read(request('latchkey_refresh='))).toBeUndefined();
    expect(cookie.read(request(undefined))).toBeUndefined();
  });
});
