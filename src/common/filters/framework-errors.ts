import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { responseHeaders } from '../http/security-headers';
import { AllExceptionsFilter } from './all-exceptions.filter';

const filter = new AllExceptionsFilter();

/**
 * Fastify's `frameworkErrors` option: its router answers a path parameter over `maxParamLength`
 * (414) and a path that is not valid URL encoding (400) before any route, and so before Nest's
 * exception filter, runs. Through this they leave in the one error shape too.
 */
export function sendFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const body = filter.toBody(error);
  // No onRequest hook has run: the headers every answer carries are set here.
  void reply
    .headers(responseHeaders(request.url))
    .header('x-request-id', request.id)
    .status(body.statusCode)
    .send(body);
}
