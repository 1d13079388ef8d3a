import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Principal } from '@/auth/principal';
import { ApiError } from '@/common/errors';
import { AppConfig } from '@/config/app-config';
import { clientAddress, clientNetwork } from './client-address';
import { RateLimitStore } from './rate-limit.store';

/** Limits are per minute: RPM in the plans, one fixed window in the stores. */
const RATE_LIMIT_WINDOW_MS = 60_000;

const ACCOUNT = 'account:';
const CLIENT = 'ip:';

/**
 * Counts a request against one bucket: the account's (the user, whatever key or token it used,
 * on every route) when a principal is given, or else the client IP's. The limit comes from
 * that principal (its tenant's plan or override), so counting costs no query; a client with no
 * principal gets UNAUTHENTICATED_RPM. Sets the X-RateLimit-* headers on every counted response
 * and refuses with 429 (and Retry-After) once the window holds more hits than the limit.
 *
 * The access guard calls it once per request, with the route's policy already read (and the
 * operator guard for wrong operator tokens), instead of @nestjs/throttler's guard, which reads
 * seven pieces of route metadata per request; the counters still live behind the throttler's
 * storage interface.
 */
@Injectable()
export class RateLimiter implements OnApplicationBootstrap {
  constructor(
    private readonly store: RateLimitStore,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.trustProxy === true) {
      new Logger(RateLimiter.name).warn(
        'TRUST_PROXY=true believes the left-most X-Forwarded-For address, which clients can ' +
          'write unless the proxy replaces the header: prefer a hop count or its addresses',
      );
    }
  }

  async count(request: FastifyRequest, reply: FastifyReply, principal?: Principal): Promise<void> {
    const limit = principal ? principal.limits.requestsPerMinute : this.config.unauthenticatedRpm;
    const tracker = principal ? ACCOUNT + principal.userId : clientTracker(request);
    const record = await this.store.increment(tracker, RATE_LIMIT_WINDOW_MS, limit, 0, 'default');
    const reset = record.isBlocked ? record.timeToBlockExpire : record.timeToExpire;
    void reply.headers({
      'x-ratelimit-limit': limit,
      'x-ratelimit-remaining': Math.max(0, limit - record.totalHits),
      'x-ratelimit-reset': reset,
    });
    if (!record.isBlocked) return;
    void reply.header('retry-after', reset);
    const whose = principal ? 'for this account' : 'for unauthenticated requests from this address';
    throw new ApiError(
      'RATE_LIMITED',
      `Rate limit exceeded: ${limit} requests per minute ${whose}`,
    );
  }
}

function clientTracker(request: FastifyRequest): string {
  return CLIENT + clientNetwork(clientAddress(request));
}
