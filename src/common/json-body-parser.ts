import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

export const MAX_JSON_DEPTH = 32;

/**
 * Half of a surrogate pair: JSON can spell one (`"\ud800"`) but UTF-8 cannot carry it, and
 * validators that re-encode strings (isEmail's encodeURI) throw on it. With the `u` flag a
 * well-formed pair is one code point, so only a lone half matches.
 */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const NOT_UNICODE = 'Request body has a string that is not valid Unicode';

/**
 * Why a parsed body is refused before any route sees it, or undefined. Iterative, so a hostile
 * body cannot overflow the stack here either.
 */
export function bodyProblem(value: unknown, depthLimit: number): string | undefined {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current === 'string') {
      if (LONE_SURROGATE.test(current)) return NOT_UNICODE;
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth > depthLimit) return `Request body nests deeper than ${depthLimit} levels`;
    for (const [key, child] of Object.entries(current)) {
      if (LONE_SURROGATE.test(key)) return NOT_UNICODE;
      stack.push([child, depth + 1]);
    }
  }
  return undefined;
}

/**
 * Fastify's own JSON parser (prototype-poisoning checks included), plus a nesting limit (a few
 * kilobytes of `[[[[…` would otherwise overflow the stack of whatever walks the body next) and
 * well-formed Unicode in every string.
 * Nest's own body parser is off (`bodyParser: false` in createApp) so this one is the only one.
 */
export function limitJsonDepth(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    void parse(request, body as string, (error, value) => {
      if (error) return done(error, undefined);
      const problem = bodyProblem(value, MAX_JSON_DEPTH);
      if (problem) return done(new BadRequestException(problem), undefined);
      done(null, value);
    });
  });
}
