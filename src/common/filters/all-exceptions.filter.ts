import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';
import { ErrorResponseDto, FieldErrorDto } from '../dto/error-response.dto';
import { ApiError, ERRORS, ErrorCode, codeForStatus } from '../errors';
import { isDatabaseUnavailable, isRejectedValue } from '../database-errors';

interface FastifyError {
  statusCode?: number;
  code?: string;
  message?: string;
}

function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

function errorBody(statusCode: number, code: ErrorCode, message: string): ErrorResponseDto {
  return { statusCode, error: reasonPhrase(statusCode), code, message };
}

function fromHttpException(exception: HttpException): ErrorResponseDto {
  const statusCode = exception.getStatus();
  const response = exception.getResponse();
  const code = exception instanceof ApiError ? exception.code : codeForStatus(statusCode);
  const body = errorBody(statusCode, code, exception.message);
  if (typeof response === 'object' && response !== null) {
    const { message, errors } = response as { message?: unknown; errors?: FieldErrorDto[] };
    if (typeof message === 'string') body.message = message;
    if (Array.isArray(message)) body.message = message.join('; ');
    if (errors) body.errors = errors;
  }
  return body;
}

/** What Fastify's own errors say, where its reason phrase says too little. */
const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Unsupported content type',
  FST_ERR_MAX_PARAM_LENGTH: 'A path parameter is too long',
  FST_ERR_BAD_URL: 'The path is not valid URL encoding',
};

/**
 * Errors Fastify raises before a route runs: unreadable JSON, body too large, bad media type,
 * and (through `frameworkErrors`) a path its router cannot read.
 */
function fromFastifyError(error: FastifyError): ErrorResponseDto | undefined {
  const status = error.statusCode;
  if (!error.code?.startsWith('FST_') || !status || status < 400 || status >= 500) return undefined;
  const message =
    status === 413
      ? ERRORS.PAYLOAD_TOO_LARGE.message
      : (FASTIFY_MESSAGES[error.code] ??
        (status === 400 && error.code.startsWith('FST_ERR_CTP')
          ? 'Request body is not valid JSON'
          : reasonPhrase(status)));
  return errorBody(status, codeForStatus(status), message);
}

/** While the database is down every request fails the same way: one warning per interval. */
const UNAVAILABLE_WARNING_INTERVAL_MS = 10_000;

/**
 * Every error leaves in one shape, { statusCode, error, message }; nothing internal (stack, SQL,
 * class names) reaches the client. Unexpected errors are logged here, once.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');
  private lastUnavailableWarning = 0;
  private unavailableSinceWarning = 0;

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = this.toBody(exception);
    if (exception instanceof ApiError && exception.headers) void reply.headers(exception.headers);
    void reply.status(body.statusCode).send(body);
  }

  toBody(exception: unknown): ErrorResponseDto {
    if (exception instanceof HttpException) return fromHttpException(exception);
    const fastify = fromFastifyError(exception as FastifyError);
    if (fastify) return fastify;
    if (isRejectedValue(exception)) {
      return errorBody(
        400,
        'VALIDATION_FAILED',
        'A value in the request cannot be stored (e.g. a NUL character or an out-of-range date)',
      );
    }
    if (isDatabaseUnavailable(exception)) {
      this.warnUnavailable(exception as Error);
      return errorBody(503, 'UNAVAILABLE', ERRORS.UNAVAILABLE.message);
    }
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : exception,
    );
    return errorBody(500, 'INTERNAL_ERROR', ERRORS.INTERNAL_ERROR.message);
  }

  private warnUnavailable(error: Error): void {
    this.unavailableSinceWarning++;
    const now = Date.now();
    if (now - this.lastUnavailableWarning < UNAVAILABLE_WARNING_INTERVAL_MS) return;
    this.logger.warn(
      `Database unavailable: ${error.message} (${this.unavailableSinceWarning} request(s) ` +
        'answered 503 since the last such warning)',
    );
    this.lastUnavailableWarning = now;
    this.unavailableSinceWarning = 0;
  }
}
