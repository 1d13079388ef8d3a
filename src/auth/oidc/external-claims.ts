/** The claims of a verified external token that Latchkey reads. */
export interface ExternalClaims {
  iss: string;
  sub: string;
  email?: unknown;
  email_verified?: unknown;
}

const MAX_SUBJECT_LENGTH = 255;

export function hasSubject(payload: { sub?: unknown }): boolean {
  return (
    typeof payload.sub === 'string' &&
    payload.sub.length > 0 &&
    payload.sub.length <= MAX_SUBJECT_LENGTH
  );
}

/** Printable ASCII: lower-casing anything else could turn one mailbox into another's name. */
const ASCII_EMAIL = /^[\x21-\x7e]{3,254}$/;

/**
 * The email a token vouches for, lower-cased as users' emails are stored: only when the issuer
 * says it verified it (`email_verified: true`), and only as it came. Non-ASCII addresses are
 * not matched: `toLowerCase()` maps e.g. the Kelvin sign to `k`.
 */
export function verifiedEmail(claims: ExternalClaims): string | undefined {
  if (claims.email_verified !== true || typeof claims.email !== 'string') return undefined;
  return ASCII_EMAIL.test(claims.email) && claims.email.includes('@')
    ? claims.email.toLowerCase()
    : undefined;
}

/**
 * The `iss` a JWT claims, read without verifying it: only to choose which verifier to hand the
 * token to (each checks the issuer again, with the signature). undefined when unreadable.
 */
export function claimedIssuer(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const iss = (claims as { iss?: unknown } | null)?.iss;
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}
