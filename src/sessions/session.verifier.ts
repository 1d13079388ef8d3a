import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { LoadingCache } from '@/common/cache/loading-cache';
import { ApiError } from '@/common/errors';
import { InvalidationBus } from '@/common/invalidation/invalidation.bus';
import { isUuid } from '@/common/uuid';
import { Session } from './session.entity';
import { SessionUsageRecorder } from './session-usage.recorder';

interface SessionState {
  userId: string;
  expiresAt: number;
  ended: boolean;
}

/** A backstop only: ending a session drops its entry at once, on every instance. */
const SESSION_TTL_MS = 10_000;

/**
 * The request path for access tokens: the session a token names (`sid`) must be its user's,
 * not ended and not expired. Sessions are cached per instance like keys and accounts, so a warm
 * request costs no query; ending one publishes an invalidation that drops it everywhere.
 */
@Injectable()
export class SessionVerifier {
  private readonly sessions: LoadingCache<string, SessionState>;

  constructor(
    @InjectRepository(Session) repository: Repository<Session>,
    private readonly usage: SessionUsageRecorder,
    bus: InvalidationBus,
  ) {
    this.sessions = new LoadingCache((id) => load(repository, id), {
      max: 100_000,
      ttlMs: SESSION_TTL_MS,
      missTtlMs: SESSION_TTL_MS,
    });
    bus.subscribe(({ target, id }) => {
      if (target === 'session') this.sessions.invalidate(id);
      else if (target === 'user-sessions') this.sessions.invalidateWhere((s) => s.userId === id);
      else if (target === 'all') this.sessions.clear();
    });
  }

  /**
   * Throws unless `sessionId` is a live session of `userId`; notes the use. Answers at once
   * (no promise, no microtask) when the session is cached, as it is for every warm request.
   */
  verify(sessionId: unknown, userId: string): void | Promise<void> {
    if (!isUuid(sessionId)) throw new ApiError('INVALID_TOKEN');
    const session = this.sessions.get(sessionId);
    if (session instanceof Promise) {
      return session.then((loaded) => this.check(sessionId, loaded, userId));
    }
    this.check(sessionId, session, userId);
  }

  private check(sessionId: string, session: SessionState | undefined, userId: string): void {
    if (!session || session.userId !== userId) throw new ApiError('INVALID_TOKEN');
    if (session.ended || session.expiresAt <= Date.now()) throw new ApiError('SESSION_ENDED');
    this.usage.record(sessionId);
  }
}

async function load(sessions: Repository<Session>, id: string): Promise<SessionState | undefined> {
  const row = await sessions.findOne({
    where: { id },
    select: { id: true, userId: true, expiresAt: true, endedAt: true },
  });
  if (!row) return undefined;
  return { userId: row.userId, expiresAt: row.expiresAt.getTime(), ended: row.endedAt !== null };
}
