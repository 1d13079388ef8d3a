import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@/audit/audit.service';
import { Principal } from '@/auth/principal';
import { ApiError } from '@/common/errors';
import { InvalidationBus } from '@/common/invalidation/invalidation.bus';
import { transactionThenPublish } from '@/common/invalidation/transaction-then-publish';
import { AppConfig } from '@/config/app-config';
import { Mailer, OutgoingMail } from '@/mail/mailer.service';
import { SessionsService } from '@/sessions/sessions.service';
import { TenantsService } from '@/tenants/tenants.service';
import { PasswordHasher } from '@/users/password-hasher';
import { User } from '@/users/user.entity';
import { UsersService } from '@/users/users.service';
import { AccountMails } from './account-mails';
import { AccountTokens } from './account-tokens.service';
import { EmailVerifiedDto } from './dto/account-links.dto';

/** One invitation mail a minute per person, however often an admin asks. */
const RESEND_COOLDOWN_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * A person joins a tenant by accepting its invitation: the link mailed when an admin adds them
 * without a password. Accepting proves the mailbox (the email is verified) and may set a password.
 */
@Injectable()
export class Invitations {
  constructor(
    private readonly tokens: AccountTokens,
    private readonly users: UsersService,
    private readonly tenants: TenantsService,
    private readonly hasher: PasswordHasher,
    private readonly mails: AccountMails,
    private readonly mailer: Mailer,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
    private readonly bus: InvalidationBus,
    private readonly sessions: SessionsService,
    private readonly config: AppConfig,
  ) {}

  /**
   * In the transaction that adds the user (or re-invites them): the invitation to mail once it
   * has committed. undefined when one went out less than a minute ago. Each tenant may send
   * INVITATIONS_PER_TENANT_PER_DAY: Latchkey's mail is not a way to reach strangers in bulk.
   */
  async issue(
    manager: EntityManager,
    user: User,
    inviterName: string,
  ): Promise<OutgoingMail | undefined> {
    await this.assertWithinDailyLimit(manager, user.tenantId);
    const token = await this.tokens.issueUnlessRecent(
      manager,
      user,
      'invitation',
      RESEND_COOLDOWN_MS,
    );
    if (!token) return undefined;
    const tenant = await this.tenants.find(manager, user.tenantId);
    return this.mails.invitation(user, token, tenant.name, inviterName);
  }

  /** A new invitation for a user who has not accepted yet; the previous link stops working. */
  async resend(inviter: Principal, userId: string): Promise<void> {
    const mail = await this.dataSource.transaction(async (manager) => {
      const user = await manager.findOne(User, {
        where: { tenantId: inviter.tenantId, id: userId },
      });
      if (!user) throw new ApiError('NOT_FOUND', 'User not found');
      if (user.emailVerifiedAt) {
        throw new ApiError('CONFLICT', 'The user has accepted already: their email is verified');
      }
      if (user.status !== 'active') throw new ApiError('CONFLICT', 'The user is deactivated');
      return this.issue(manager, user, inviter.name ?? inviter.email);
    });
    if (mail) this.mailer.send(mail);
  }

  /**
   * Accepting is how an added person takes the account over: the email is verified, the
   * password becomes theirs (or none, for sign-in through the identity provider only), and
   * every session opened before, with a password someone else chose, ends.
   */
  async accept(token: string, password: string | undefined): Promise<EmailVerifiedDto> {
    // Refused before the argon2 work a password costs.
    if (!(await this.tokens.usable(token, 'invitation'))) throw new ApiError('INVALID_LINK_TOKEN');
    const passwordHash = password ? await this.hasher.hash(password) : null;
    return transactionThenPublish(this.dataSource, this.bus, async (manager, markStale) => {
      const used = await this.tokens.consume(manager, token, 'invitation');
      const user =
        used &&
        (await this.users.confirmMailbox(manager, used.userId, used.email, {
          by: 'invitation',
          passwordHash,
        }));
      if (!used || !user) throw new ApiError('INVALID_LINK_TOKEN');
      await this.sessions.endAll(manager, user.id, 'invitation_accepted', markStale);
      markStale({ target: 'user', id: user.id });
      await this.audit.record(manager, {
        tenantId: user.tenantId,
        action: 'user.invitation_accepted',
        actor: { userId: user.id },
        targetType: 'user',
        targetId: user.id,
        details: { email: used.email, passwordSet: passwordHash !== null },
      });
      return { email: used.email, emailVerified: true };
    });
  }

  private async assertWithinDailyLimit(manager: EntityManager, tenantId: string): Promise<void> {
    const limit = this.config.invitationsPerTenantPerDay;
    const since = new Date(Date.now() - DAY_MS);
    const [{ sent, oldest }] = await manager.query<{ sent: number; oldest: Date | null }[]>(
      `SELECT count(*)::int AS sent, min(t.created_at) AS oldest
         FROM account_tokens t JOIN users u ON u.id = t.user_id
        WHERE u.tenant_id = $1 AND t.purpose = 'invitation' AND t.created_at > $2`,
      [tenantId, since],
    );
    if (sent < limit) return;
    const retryAfter = Math.max(
      1,
      Math.ceil(((oldest?.getTime() ?? Date.now()) + DAY_MS - Date.now()) / 1000),
    );
    throw new ApiError(
      'RATE_LIMITED',
      `Invitation limit reached: ${limit} invitations a day per tenant`,
      { headers: { 'retry-after': retryAfter } },
    );
  }
}
