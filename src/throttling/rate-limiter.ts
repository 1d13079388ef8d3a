import {
  HttpException,
  HttpStatus,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { normalizeIp } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { Principal } from '@/auth/principal';
import { AppConfig } from '@/config/app-config';
import { clientAddress } from './client-address';
import { RateLimitStore } from './rate-limit.store';

/** Limits are per minute: RPM in the plans, one fixed window in the stores. */
export const RATE_LIMIT_WINDOW_MS = 60_000;

const ACCOUNT = 'account:';
const CLIENT = 'ip:';

/**
 * Counts a request against one bucket: the account's (the user, whatever key or token it used,
 * on every route) when a principal is given, or else the client IP's. The limit comes from
 * that principal (its tenant's plan or override), so counting costs no query; a client with no
 * principal gets UNAUTHENTICATED_RPM. Sets the X-RateLimit-* headers on every counted response
 * and refuses with 429 (and Retry-After) once the window holds more hits than the limit.
 *
 * The access guard calls it once per request, with the route's policy already read, instead of
 * @nestjs/throttler's guard, which reads seven pieces of route metadata per request; the
 * counters still live behind the throttler's storage interface.
 */
@Injectable()
export class RateLimiter implements OnApplicationBootstrap {
  /** Client trackers with no requests left, until their window ends (see isRefusedClient). */
  private readonly refusedClients = new LRUCache<string, true>({ max: 100_000 });

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
    // The address's next request will be refused: remember that until the window ends, rounded
    // down (stores report whole seconds, rounded up), so a key is never refused unread in a
    // window where its address has requests left. The window's last second is not remembered.
    if (!principal && record.totalHits >= limit && reset > 1) {
      this.refusedClients.set(tracker, true, { ttl: (reset - 1) * 1000 });
    }
    if (!record.isBlocked) return;
    void reply.header('retry-after', reset);
    const whose = principal ? 'for this account' : 'for unauthenticated requests from this address';
    throw new HttpException(
      `Rate limit exceeded: ${limit} requests per minute ${whose}`,
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }

  /**
   * Whether the request's address has used up its unauthenticated limit for the current window,
   * as far as this instance has seen. Known without a store round trip, so the API key verifier can ask
   * it before spending a query on a key it has not seen: a flood of distinct made-up keys then
   * stops reaching the database once its address is over the limit.
   */
  isRefusedClient(request: FastifyRequest): boolean {
    return this.refusedClients.has(clientTracker(request));
  }
}

/** IPv6 clients are grouped by /64, as one host usually holds the whole prefix. */
function clientTracker(request: FastifyRequest): string {
  return CLIENT + normalizeIp(clientAddress(request));
}
