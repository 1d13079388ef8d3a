import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { AuditService } from '@/audit/audit.service';
import { UsersService } from '@/users/users.service';
import { ExternalClaims, verifiedEmail } from './external-claims';

/** Links never change once made, so they can be kept long; the account itself is not cached here. */
const LINK_TTL_MS = 10 * 60_000;

/**
 * Maps an external identity (`iss`, `sub`) to a Latchkey user. On first sight the user whose
 * email equals the token's verified email, and who has no external identity yet, is linked
 * (audited as `user.identity_linked`); from then on the user is found by `sub`, whatever email
 * the token carries.
 */
@Injectable()
export class ExternalIdentities {
  private readonly links = new LRUCache<string, string>({ max: 100_000, ttl: LINK_TTL_MS });

  constructor(
    private readonly users: UsersService,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** The linked user's id; undefined when there is none and none may be linked. */
  async userIdFor(claims: ExternalClaims): Promise<string | undefined> {
    const key = `${claims.iss}\n${claims.sub}`;
    const cached = this.links.get(key);
    if (cached) return cached;
    const userId =
      (await this.users.findIdByExternalIdentity(claims.iss, claims.sub)) ??
      (await this.link(claims)) ??
      // Linked by a concurrent first sign-in with the same token.
      (await this.users.findIdByExternalIdentity(claims.iss, claims.sub));
    if (userId) this.links.set(key, userId);
    return userId ?? undefined;
  }

  private async link(claims: ExternalClaims): Promise<string | null> {
    const email = verifiedEmail(claims);
    if (!email) return null;
    return this.dataSource.transaction(async (manager) => {
      const user = await this.users.linkExternalIdentity(manager, email, claims.iss, claims.sub);
      if (!user) return null;
      await this.audit.record(manager, {
        tenantId: user.tenantId,
        action: 'user.identity_linked',
        actor: { userId: user.id },
        targetType: 'user',
        targetId: user.id,
        details: { issuer: claims.iss, subject: claims.sub },
      });
      return user.id;
    });
  }
}
