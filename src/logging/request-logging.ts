import type { FastifyInstance } from 'fastify';
import { principalLogFields } from './request-log-context';

/**
 * One line per request, on completion: its id, method, path (no query string), status and
 * time, and who called (tenant, user, key ids). Health checks are not logged.
 */
export function logRequests(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const url = request.url.split('?')[0];
    if (!url.startsWith('/health/')) {
      request.log.info(
        {
          reqId: request.id,
          method: request.method,
          url,
          statusCode: reply.statusCode,
          responseTime: Math.round(reply.elapsedTime * 10) / 10,
          ...principalLogFields(request.raw),
        },
        'request completed',
      );
    }
    done();
  });
}
