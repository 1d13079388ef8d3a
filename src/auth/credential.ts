/** How a request authenticates, read from its Authorization header alone. */
export type PresentedCredential =
  { kind: 'api-key'; token: string } | { kind: 'jwt'; token: string } | { kind: 'none' };

/** Longer headers are refused unread: no JWT or key of ours comes close. */
export const MAX_AUTHORIZATION_LENGTH = 8192;

/**
 * `Bearer <credential>` (scheme case-insensitive) or, for API keys only, the bare key. A value
 * that starts with `<prefix>_` is an API key; anything else is treated as a JWT.
 */
export function readCredential(header: string | undefined, keyPrefix: string): PresentedCredential {
  if (!header || header.length > MAX_AUTHORIZATION_LENGTH) return { kind: 'none' };
  const value = header.trim();
  const space = value.indexOf(' ');
  let token: string;
  let bearer: boolean;
  if (space === -1) {
    token = value;
    bearer = false;
  } else {
    if (value.slice(0, space).toLowerCase() !== 'bearer') return { kind: 'none' };
    token = value.slice(space + 1).trim();
    bearer = true;
  }
  if (token === '' || token.includes(' ')) return { kind: 'none' };
  if (token.startsWith(`${keyPrefix}_`)) return { kind: 'api-key', token };
  return bearer ? { kind: 'jwt', token } : { kind: 'none' };
}
