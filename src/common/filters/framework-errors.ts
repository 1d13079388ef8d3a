import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AllExceptionsFilter } from './all-exceptions.filter';

const filter = new AllExceptionsFilter();

/**
 * Fastify's `frameworkErrors` option: its router answers a path parameter over `maxParamLength`
 * (414) and a path that is not valid URL encoding (400) before any route, and so before Nest's
 * exception filter, runs. Through this they leave in the one error shape too.
 */
export function sendFrameworkError(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const body = filter.toBody(error);
  void reply.status(body.statusCode).send(body);
}
