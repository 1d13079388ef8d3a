import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { ApiError } from '@/common/errors';
import { InvalidationBus } from '@/common/invalidation/invalidation.bus';
import { MarkStale, transactionThenPublish } from '@/common/invalidation/transaction-then-publish';
import { digestOf, looksLikeOpaqueToken, newOpaqueToken } from '@/common/opaque-token';
import { PageQueryDto, paginate } from '@/common/pagination';
import { AppConfig } from '@/config/app-config';
import { UsersService } from '@/users/users.service';
import { ClientInfo } from './client-info';
import { SessionDto, SessionPageDto } from './dto/session.dto';
import { RefreshToken } from './refresh-token.entity';
import { Session, SessionEndReason } from './session.entity';
import { SessionUsageRecorder } from './session-usage.recorder';

/** Live sessions a user keeps at most; a new sign-in beyond ends the oldest. */
export const MAX_LIVE_SESSIONS = 100;
/** Used refresh tokens kept per session: a replay of any of them ends the session. */
export const USED_TOKENS_KEPT = 20;

/** A session and the refresh token that continues it, shown once to the client. */
export interface SessionGrant {
  session: Session;
  refreshToken: string;
}

/**
 * Sessions: started by a login, continued by refresh tokens (each used once), ended by logout,
 * by their user, a password change or reset, or deactivation. Ending one publishes an
 * invalidation, so its access tokens are refused on the next request on every instance.
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly dataSource: DataSource,
    private readonly bus: InvalidationBus,
    private readonly users: UsersService,
    private readonly usage: SessionUsageRecorder,
    private readonly config: AppConfig,
  ) {}

  /**
   * A new session for a user who has just proved who they are, in the caller's transaction.
   * A user keeps MAX_LIVE_SESSIONS at most: a script that signs in on every run ends its
   * oldest sessions, rather than piling up rows.
   */
  async start(
    manager: EntityManager,
    user: { id: string; tenantId: string },
    client: ClientInfo,
    markStale: MarkStale,
  ): Promise<SessionGrant> {
    const now = Date.now();
    const session = await manager.save(
      manager.create(Session, {
        tenantId: user.tenantId,
        userId: user.id,
        expiresAt: new Date(now + this.config.sessionTtlSeconds * 1000),
        lastUsedAt: new Date(now),
        endedAt: null,
        endReason: null,
        ...client,
      }),
    );
    const surplus: { id: string }[] = await manager.query(
      `SELECT id FROM sessions
        WHERE user_id = $1 AND ended_at IS NULL AND expires_at > $2
        ORDER BY created_at DESC, id DESC OFFSET $3`,
      [user.id, new Date(now), MAX_LIVE_SESSIONS],
    );
    for (const { id } of surplus) await this.endWhere(manager, id, 'too_many_sessions', markStale);
    return { session, refreshToken: await this.issueRefreshToken(manager, session.id) };
  }

  /**
   * Uses up a refresh token and issues the next one of its session. A token already used up is
   * a copy someone kept (or a replay): the whole session ends, and with it every later token.
   */
  async refresh(token: string, client: ClientInfo): Promise<SessionGrant> {
    if (!looksLikeOpaqueToken(token)) throw new ApiError('INVALID_TOKEN');
    const digest = digestOf(token);
    const grant = await transactionThenPublish(
      this.dataSource,
      this.bus,
      async (manager, markStale) => {
        const sessionId = await this.useUp(manager, digest);
        if (sessionId) return this.continue(manager, sessionId, client);
        const reused = await manager.findOne(RefreshToken, { where: { digest } });
        if (reused) {
          await this.endWhere(manager, reused.sessionId, 'refresh_token_reused', markStale);
        }
        return undefined;
      },
    );
    if (!grant) throw new ApiError('INVALID_TOKEN');
    return grant;
  }

  /** Ends the session a refresh token belongs to, used up or not (logout). */
  async endByRefreshToken(token: string, reason: SessionEndReason): Promise<void> {
    if (!looksLikeOpaqueToken(token)) return;
    await transactionThenPublish(this.dataSource, this.bus, async (manager, markStale) => {
      const row = await manager.findOne(RefreshToken, { where: { digest: digestOf(token) } });
      if (row) await this.endWhere(manager, row.sessionId, reason, markStale);
    });
  }

  /** Ends one of the user's sessions. false: the user has no session with this id. */
  async end(
    user: { userId: string; tenantId: string },
    sessionId: string,
    reason: SessionEndReason,
  ): Promise<boolean> {
    return transactionThenPublish(this.dataSource, this.bus, async (manager, markStale) => {
      const session = await manager.findOne(Session, {
        where: { tenantId: user.tenantId, userId: user.userId, id: sessionId },
        select: { id: true },
      });
      if (session) await this.endWhere(manager, session.id, reason, markStale);
      return session !== null;
    });
  }

  /** Ends every live session of a user but `except`, in the caller's transaction. */
  async endAll(
    manager: EntityManager,
    userId: string,
    reason: SessionEndReason,
    markStale: MarkStale,
    except?: string,
  ): Promise<void> {
    const query = manager
      .createQueryBuilder()
      .update(Session)
      .set({ endedAt: new Date(Date.now()), endReason: reason })
      .where('user_id = :userId AND ended_at IS NULL', { userId });
    if (except) query.andWhere('id <> :except', { except });
    await query.execute();
    markStale({ target: 'user-sessions', id: userId });
  }

  /** The caller's live sessions, newest first; `current` marks the one its token belongs to. */
  async list(
    user: { userId: string; tenantId: string; sessionId?: string },
    page: PageQueryDto,
  ): Promise<SessionPageDto> {
    const query = this.sessions
      .createQueryBuilder('session')
      .where('session.tenantId = :tenantId AND session.userId = :userId', user)
      .andWhere('session.endedAt IS NULL AND session.expiresAt > :now', {
        now: new Date(Date.now()),
      });
    return paginate(query, page, (row) => this.toDto(row, user.sessionId));
  }

  private toDto(row: Session, currentId: string | undefined): SessionDto {
    return {
      id: row.id,
      createdAt: row.createdAt,
      lastUsedAt: this.usage.lastUsed(row.id, row.lastUsedAt),
      expiresAt: row.expiresAt,
      userAgent: row.userAgent,
      ip: row.ip,
      current: row.id === currentId,
    };
  }

  /** The session of an unused token, which is now used; undefined when there is none. */
  private async useUp(manager: EntityManager, digest: string): Promise<string | undefined> {
    const result = await manager
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ usedAt: new Date(Date.now()) })
      .where('digest = :digest AND used_at IS NULL', { digest })
      .returning('session_id')
      .execute();
    return (result.raw as { session_id: string }[])[0]?.session_id;
  }

  private async continue(
    manager: EntityManager,
    sessionId: string,
    client: ClientInfo,
  ): Promise<SessionGrant> {
    const session = await manager.findOneOrFail(Session, {
      where: { id: sessionId },
      lock: { mode: 'pessimistic_write' },
    });
    if (session.endedAt || session.expiresAt.getTime() <= Date.now()) {
      throw new ApiError('SESSION_ENDED');
    }
    const account = await this.users.findAccount(session.userId, manager);
    if (account?.status !== 'active' || account.tenantStatus !== 'active') {
      throw new ApiError('ACCOUNT_INACTIVE');
    }
    Object.assign(session, client, { lastUsedAt: new Date(Date.now()) });
    await manager.update(
      Session,
      { id: session.id },
      { lastUsedAt: session.lastUsedAt, ip: client.ip, userAgent: client.userAgent },
    );
    // Used tokens are kept to recognise a replay; the newest few are enough for that, and a
    // session refreshed every minute for a month must not keep 40,000 of them.
    await manager.query(
      `DELETE FROM refresh_tokens WHERE session_id = $1 AND used_at IS NOT NULL
          AND digest NOT IN (SELECT digest FROM refresh_tokens
                              WHERE session_id = $1 AND used_at IS NOT NULL
                              ORDER BY used_at DESC LIMIT $2)`,
      [session.id, USED_TOKENS_KEPT],
    );
    return { session, refreshToken: await this.issueRefreshToken(manager, session.id) };
  }

  private async issueRefreshToken(manager: EntityManager, sessionId: string): Promise<string> {
    const token = newOpaqueToken();
    await manager.insert(RefreshToken, { digest: digestOf(token), sessionId, usedAt: null });
    return token;
  }

  private async endWhere(
    manager: EntityManager,
    sessionId: string,
    reason: SessionEndReason,
    markStale: MarkStale,
  ): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(Session)
      .set({ endedAt: new Date(Date.now()), endReason: reason })
      .where('id = :sessionId AND ended_at IS NULL', { sessionId })
      .execute();
    // Also when it had ended already: a retry after a lost answer still reaches every instance.
    markStale({ target: 'session', id: sessionId });
  }
}
