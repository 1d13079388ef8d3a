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

/**
 * The email a token vouches for, lower-cased as users' emails are stored: only when the issuer
 * says it verified it (`email_verified: true`; some providers send the string "true").
 */
export function verifiedEmail(claims: ExternalClaims): string | undefined {
  const verified = claims.email_verified === true || claims.email_verified === 'true';
  if (!verified || typeof claims.email !== 'string') return undefined;
  const email = claims.email.trim().toLowerCase();
  return email.length > 0 && email.length <= 254 ? email : undefined;
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
