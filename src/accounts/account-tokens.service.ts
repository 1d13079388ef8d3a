import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, MoreThan, Repository } from 'typeorm';
import { digestOf, looksLikeOpaqueToken, newOpaqueToken } from '@/common/opaque-token';
import { UsersService } from '@/users/users.service';
import { AccountToken, AccountTokenPurpose } from './account-token.entity';

const HOUR_MS = 3_600_000;

/** How long a mailed link works. */
export const TOKEN_LIFETIME_MS: Readonly<Record<AccountTokenPurpose, number>> = {
  verify_email: 24 * HOUR_MS,
  invitation: 24 * HOUR_MS,
  password_reset: 30 * 60_000,
};

/**
 * Whether a newer link voids the older ones: a reset or an invitation is meant to be the one in
 * the newest mail; any verification link that has not expired is as good as another.
 */
const NEWEST_ONLY: ReadonlySet<AccountTokenPurpose> = new Set(['invitation', 'password_reset']);

/** A used-up token: whom it was for and the address it was mailed to. */
export interface ConsumedToken {
  userId: string;
  email: string;
}

/** The single-use tokens of mailed links, stored by digest only. */
@Injectable()
export class AccountTokens {
  constructor(
    @InjectRepository(AccountToken) private readonly tokens: Repository<AccountToken>,
    private readonly users: UsersService,
  ) {}

  /** A new token mailed to `user.email`, written in the caller's transaction. */
  async issue(
    manager: EntityManager,
    user: { id: string; email: string },
    purpose: AccountTokenPurpose,
  ): Promise<string> {
    const now = Date.now();
    if (NEWEST_ONLY.has(purpose)) {
      await manager.update(
        AccountToken,
        { userId: user.id, purpose, usedAt: IsNull() },
        { usedAt: new Date(now) },
      );
    }
    const token = newOpaqueToken();
    await manager.insert(AccountToken, {
      digest: digestOf(token),
      userId: user.id,
      purpose,
      email: user.email,
      createdAt: new Date(now),
      expiresAt: new Date(now + TOKEN_LIFETIME_MS[purpose]),
      usedAt: null,
    });
    return token;
  }

  /**
   * As issue(), unless one was issued less than `cooldownMs` ago (undefined then): mails for one
   * user are spaced out, however many requests race for them (they take turns on the user's row).
   */
  async issueUnlessRecent(
    manager: EntityManager,
    user: { id: string; tenantId: string; email: string },
    purpose: AccountTokenPurpose,
    cooldownMs: number,
  ): Promise<string | undefined> {
    await this.users.lockForUpdate(manager, user.tenantId, user.id);
    const recent = await manager.exists(AccountToken, {
      where: { userId: user.id, purpose, createdAt: MoreThan(new Date(Date.now() - cooldownMs)) },
    });
    return recent ? undefined : this.issue(manager, user, purpose);
  }

  /** Whether `token` may still be used, without using it (to refuse before costly work). */
  async usable(token: string, purpose: AccountTokenPurpose): Promise<boolean> {
    if (!looksLikeOpaqueToken(token)) return false;
    return this.tokens.exists({
      where: {
        digest: digestOf(token),
        purpose,
        usedAt: IsNull(),
        expiresAt: MoreThan(new Date(Date.now())),
      },
    });
  }

  /** Uses the token up, in the caller's transaction; undefined when it is not usable. */
  async consume(
    manager: EntityManager,
    token: string,
    purpose: AccountTokenPurpose,
  ): Promise<ConsumedToken | undefined> {
    if (!looksLikeOpaqueToken(token)) return undefined;
    const now = new Date(Date.now());
    const result = await manager
      .createQueryBuilder()
      .update(AccountToken)
      .set({ usedAt: now })
      .where('digest = :digest AND purpose = :purpose', { digest: digestOf(token), purpose })
      .andWhere('used_at IS NULL AND expires_at > :now', { now })
      .returning('user_id, email')
      .execute();
    const row = (result.raw as { user_id: string; email: string }[])[0];
    return row ? { userId: row.user_id, email: row.email } : undefined;
  }
}
