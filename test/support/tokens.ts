import { createHmac } from 'node:crypto';
import { LOCAL_TOKEN_AUDIENCE, LOCAL_TOKEN_ISSUER } from '@/auth/local-token';
import { TEST_JWT_SECRET } from './app';

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A JWT signed as Latchkey signs them (or with `secret`), with whatever header and claims. */
export function signHs256(
  payload: object,
  secret: string = TEST_JWT_SECRET,
  header: object = { alg: 'HS256', typ: 'JWT' },
): string {
  const unsigned = `${base64url(header)}.${base64url(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** An unsigned token (`alg: none`), as an attacker would forge one. */
export function unsigned(payload: object): string {
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`;
}

/** The claims of a local access token for `userId` in `tenantId`, valid for ten minutes. */
export function localClaims(userId: string, tenantId: string, overrides: object = {}): object {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: userId,
    tid: tenantId,
    iss: LOCAL_TOKEN_ISSUER,
    aud: LOCAL_TOKEN_AUDIENCE,
    iat: now,
    exp: now + 600,
    ...overrides,
  };
}
