import { QueryFailedError } from 'typeorm';

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && (!constraint || driverError.constraint === constraint);
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '57014', // query_canceled: statement_timeout, the server took too long
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
]);

const CONNECTION_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Client has encountered a connection error',
  'connect ECONNREFUSED',
  'Query read timeout', // query_timeout: the server did not answer at all
];

/** True when an error means "the database cannot be reached", which clients see as 503. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  const driverCode = (error as { driverError?: { code?: unknown } }).driverError?.code;
  if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return true;
  if (typeof driverCode === 'string' && CONNECTION_ERROR_CODES.has(driverCode)) return true;
  return CONNECTION_MESSAGES.some((fragment) => error.message.includes(fragment));
}

/**
 * Values that passed validation but that PostgreSQL cannot take: a NUL character in text, a
 * date beyond its range, a number out of range. The client's input, so a 400, not a 500.
 */
const REJECTED_VALUE_CODES = new Set([
  '22021',
  '22P05',
  '22008',
  '22007',
  '22003',
  '22001',
  '22P02',
]);

export function isRejectedValue(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: string }).code;
  return code !== undefined && REJECTED_VALUE_CODES.has(code);
}
