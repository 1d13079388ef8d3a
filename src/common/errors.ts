import { HttpException } from '@nestjs/common';

interface ErrorDefinition {
  readonly status: number;
  /** What people read; clients branch on the code, never on this. */
  readonly message: string;
  /** What the code means, for the OpenAPI document and the README. */
  readonly meaning: string;
}

/**
 * Every error body carries one of these codes (DESIGN.md section 7), stable across releases:
 * clients branch on `code`, people read `message`. Each code has one status. The messages of
 * the authentication errors are themselves part of the contract (clients written before codes
 * match on them), so they are fixed here too.
 */
export const ERRORS = {
  MISSING_CREDENTIAL: {
    status: 401,
    message: 'Invalid or missing authentication token',
    meaning: 'No Authorization header, or one that holds no readable credential',
  },
  INVALID_API_KEY: {
    status: 401,
    message: 'Invalid API key',
    meaning: 'An API key that is unknown, malformed or revoked',
  },
  API_KEY_EXPIRED: { status: 401, message: 'API key expired', meaning: 'An expired API key' },
  INVALID_TOKEN: {
    status: 401,
    message: 'Invalid token',
    meaning: 'A JWT or refresh token that is forged, tampered, of another issuer or used up',
  },
  TOKEN_EXPIRED: {
    status: 401,
    message: 'Token expired',
    meaning: 'An expired access token: refresh it, or sign in again',
  },
  SESSION_ENDED: {
    status: 401,
    message: 'Session has ended',
    meaning: 'An access token of a session that ended (logout, password change): sign in again',
  },
  INVALID_CREDENTIALS: {
    status: 401,
    message: 'Invalid email or password',
    meaning: 'Login with an unknown email or a wrong password (the two are not told apart)',
  },
  ACCOUNT_INACTIVE: {
    status: 401,
    message: 'Account is not active',
    meaning: 'The user is deactivated or the tenant suspended',
  },
  FORBIDDEN: {
    status: 403,
    message: "You don't have permission to access this resource",
    meaning: "The role or the key's scopes do not allow this",
  },
  NOT_FOUND: {
    status: 404,
    message: 'Not found',
    meaning: 'No such resource in your tenant (or no such route)',
  },
  VALIDATION_FAILED: {
    status: 400,
    message: 'Invalid request',
    meaning: 'The body, query or path is invalid: `errors` lists what, field by field',
  },
  INVALID_LINK_TOKEN: {
    status: 400,
    message: 'This link is invalid, has expired or was already used',
    meaning: 'A verification, invitation or reset token that cannot be used (ask for a new one)',
  },
  WRONG_PASSWORD: {
    status: 400,
    message: 'The current password is wrong',
    meaning: 'A password change whose currentPassword does not match',
  },
  CONFLICT: {
    status: 409,
    message: 'Conflict',
    meaning: 'The change conflicts with the current state (the message says which)',
  },
  EMAIL_TAKEN: {
    status: 409,
    message: 'A user with this email already exists',
    meaning: 'Emails are unique across the service',
  },
  KEY_LIMIT_REACHED: {
    status: 409,
    message: 'API key limit reached',
    meaning: "The plan's limit of active keys is reached (the message names it)",
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    message: 'Request body is too large',
    meaning: 'The body is over BODY_LIMIT_BYTES',
  },
  URI_TOO_LONG: {
    status: 414,
    message: 'A path parameter is too long',
    meaning: 'A path parameter is over the router limit',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'Unsupported content type',
    meaning: 'A body that is not application/json',
  },
  RATE_LIMITED: {
    status: 429,
    message: 'Rate limit exceeded',
    meaning: 'Over the rate limit (the message names it); wait `Retry-After` seconds',
  },
  LOGIN_LOCKED: {
    status: 429,
    message: 'Too many failed logins',
    meaning: 'Too many failed logins for this email from this address; wait `Retry-After` seconds',
  },
  INTERNAL_ERROR: {
    status: 500,
    message: 'Internal server error',
    meaning: 'A bug: nothing the client can change',
  },
  UNAVAILABLE: {
    status: 503,
    message: 'Service unavailable',
    meaning: 'The database is unreachable or the server is busy; retry later',
  },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERRORS;
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

/** The code of an error raised without one (by Nest, Fastify or a plain HttpException). */
const BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'VALIDATION_FAILED',
  401: 'MISSING_CREDENTIAL',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

export function codeForStatus(status: number): ErrorCode {
  return BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_FAILED');
}

export interface ApiErrorOptions {
  /** Response headers the answer must carry (`Retry-After`). */
  headers?: Readonly<Record<string, string | number>>;
}

/** An error with its code: `throw new ApiError('INVALID_API_KEY')`. The filter shapes the body. */
export class ApiError extends HttpException {
  readonly headers?: Readonly<Record<string, string | number>>;

  constructor(
    readonly code: ErrorCode,
    message: string = ERRORS[code].message,
    options: ApiErrorOptions = {},
  ) {
    super(message, ERRORS[code].status);
    this.headers = options.headers;
  }
}
