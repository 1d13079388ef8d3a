import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

export const MAX_JSON_DEPTH = 32;

/** Iterative, so a hostile body cannot overflow the stack here either. */
export function exceedsDepth(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Fastify's own JSON parser (prototype-poisoning checks included), plus a nesting limit: a few
 * kilobytes of `[[[[…` would otherwise overflow the stack of whatever walks the body next.
 * Nest's own body parser is off (`bodyParser: false` in createApp) so this one is the only one.
 */
export function limitJsonDepth(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    void parse(request, body as string, (error, value) => {
      if (error) return done(error, undefined);
      if (exceedsDepth(value, MAX_JSON_DEPTH)) {
        return done(
          new BadRequestException(`Request body nests deeper than ${MAX_JSON_DEPTH} levels`),
          undefined,
        );
      }
      done(null, value);
    });
  });
}
