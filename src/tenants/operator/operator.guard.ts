import { CanActivate, ExecutionContext, Injectable, NotFoundException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '@/common/errors';
import { AppConfig } from '@/config/app-config';
import { RateLimiter } from '@/throttling/rate-limiter';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * The operator API answers only `Authorization: Bearer <OPERATOR_TOKEN>`, compared in constant
 * time (digests of equal length, so not even the length leaks). Unset: the API does not exist.
 * Wrong tokens count against the client IP's unauthenticated limit.
 */
@Injectable()
export class OperatorGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(
    config: AppConfig,
    private readonly rateLimits: RateLimiter,
  ) {
    this.expected = config.operatorToken ? digest(config.operatorToken) : undefined;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (!this.expected) {
      throw new NotFoundException(`Cannot ${request.method} ${request.url.split('?')[0]}`);
    }
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!timingSafeEqual(digest(token), this.expected)) {
      await this.rateLimits.count(request, http.getResponse<FastifyReply>());
      throw new ApiError('MISSING_CREDENTIAL');
    }
    return true;
  }
}
