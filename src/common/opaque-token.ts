import { createHash, randomBytes } from 'node:crypto';

/**
 * A bearer secret that is not a JWT (refresh tokens, links in mails): 256 random bits,
 * base64url. Only its digest is stored; 256 bits cannot be guessed, so a fast hash is enough.
 */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored and looked up instead of the token. */
export function digestOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A value that may be one of our tokens: anything else is refused without a lookup. */
export function looksLikeOpaqueToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}
