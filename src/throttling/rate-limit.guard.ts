import { ExecutionContext, HttpException, HttpStatus, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  ThrottlerModuleOptions,
  ThrottlerRequest,
  ThrottlerStorage,
  normalizeIp,
} from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { AuthenticatedRequest } from '@/auth/authenticated-request';
import { AppConfig } from '@/config/app-config';
import { clientAddress } from './client-address';
import { RATE_LIMIT_WINDOW_MS } from './rate-limit.options';

const ACCOUNT = 'account:';
const CLIENT = 'ip:';

/**
 * Counts every request against one bucket: the account's (the user, whatever key or token it
 * used, on every route) once the authentication guard has resolved a principal, or else the
 * client IP's. The limit comes from that principal (its tenant's plan or override), so
 * counting costs no query. Runs after authentication and before authorisation, so refused
 * (403) calls count too; failed credentials are counted by the authentication guard through
 * countFailedCredential(). A client over its unauthenticated limit is refused only what needs
 * no credential or fails one: a valid key from the same address (a NAT) still works.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly config: AppConfig,
  ) {
    super(options, storage, reflector);
  }

  override async onModuleInit(): Promise<void> {
    await super.onModuleInit();
    if (this.config.trustProxy === true) {
      new Logger(RateLimitGuard.name).warn(
        'TRUST_PROXY=true believes the left-most X-Forwarded-For address, which clients can ' +
          'write unless the proxy replaces the header: prefer a hop count or its addresses',
      );
    }
  }

  /** Counts a request whose credential failed against its client IP (and may refuse it). */
  async countFailedCredential(context: ExecutionContext): Promise<void> {
    const limit = this.config.unauthenticatedRpm;
    const ttl = RATE_LIMIT_WINDOW_MS;
    await this.handleRequest({
      context,
      limit,
      ttl,
      blockDuration: ttl,
      throttler: { name: 'default', limit, ttl },
      getTracker: (req) => this.clientTracker(req),
      generateKey: (ctx, tracker) => this.generateKey(ctx, tracker),
    });
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const { context, limit, ttl, blockDuration, throttler, getTracker, generateKey } = request;
    const { req, res } = this.getRequestResponse(context);
    const tracker = await getTracker(req, context);
    const key = generateKey(context, tracker, throttler.name ?? 'default');
    const record = await this.storageService.increment(
      key,
      ttl,
      limit,
      blockDuration,
      throttler.name ?? 'default',
    );
    const remaining = Math.max(0, limit - record.totalHits);
    const reset = record.isBlocked ? record.timeToBlockExpire : record.timeToExpire;
    this.setHeaders(res as FastifyReply, limit, remaining, reset);
    if (record.isBlocked) {
      this.setResponseHeader(res, 'Retry-After', record.timeToBlockExpire);
      await this.throwThrottlingException(context, { ...record, limit, ttl, key, tracker });
    }
    return true;
  }

  protected override getTracker(req: object): Promise<string> {
    const principal = (req as AuthenticatedRequest).user;
    return Promise.resolve(principal ? ACCOUNT + principal.userId : this.clientTracker(req));
  }

  /** The tracker alone: one bucket per account or client across every route. */
  protected override generateKey(_context: ExecutionContext, tracker: string): string {
    return tracker;
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    return Promise.reject(this.refusal(detail.tracker, detail.limit));
  }

  /** IPv6 clients are grouped by /64, as one host usually holds the whole prefix. */
  private clientTracker(req: object): string {
    return CLIENT + normalizeIp(clientAddress(req as AuthenticatedRequest));
  }

  private setHeaders(res: FastifyReply, limit: number, remaining: number, reset: number): void {
    this.setResponseHeader(res, 'X-RateLimit-Limit', limit);
    this.setResponseHeader(res, 'X-RateLimit-Remaining', remaining);
    this.setResponseHeader(res, 'X-RateLimit-Reset', reset);
  }

  private refusal(tracker: string, limit: number): HttpException {
    const whose = tracker.startsWith(ACCOUNT)
      ? 'for this account'
      : 'for unauthenticated requests from this address';
    return new HttpException(
      `Rate limit exceeded: ${limit} requests per minute ${whose}`,
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
