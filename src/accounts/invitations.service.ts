import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@/audit/audit.service';
import { Principal } from '@/auth/principal';
import { ApiError } from '@/common/errors';
import { InvalidationBus } from '@/common/invalidation/invalidation.bus';
import { transactionThenPublish } from '@/common/invalidation/transaction-then-publish';
import { Mailer, OutgoingMail } from '@/mail/mailer.service';
import { TenantsService } from '@/tenants/tenants.service';
import { PasswordHasher } from '@/users/password-hasher';
import { User } from '@/users/user.entity';
import { UsersService } from '@/users/users.service';
import { AccountMails } from './account-mails';
import { AccountTokens } from './account-tokens.service';
import { EmailVerifiedDto } from './dto/account-links.dto';

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
  ) {}

  /** In the transaction that adds the user: the invitation to mail once it has committed. */
  async issue(manager: EntityManager, user: User, inviter: Principal): Promise<OutgoingMail> {
    const tenant = await this.tenants.find(manager, user.tenantId);
    const token = await this.tokens.issue(manager, user, 'invitation');
    return this.mails.invitation(user, token, tenant.name, inviter.name ?? inviter.email);
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
      return this.issue(manager, user, inviter);
    });
    this.mailer.send(mail);
  }

  async accept(token: string, password: string | undefined): Promise<EmailVerifiedDto> {
    // Refused before the argon2 work a password costs.
    if (!(await this.tokens.usable(token, 'invitation'))) throw new ApiError('INVALID_LINK_TOKEN');
    const passwordHash = password ? await this.hasher.hash(password) : undefined;
    return transactionThenPublish(this.dataSource, this.bus, async (manager, markStale) => {
      const used = await this.tokens.consume(manager, token, 'invitation');
      const user =
        used && (await this.users.confirmMailbox(manager, used.userId, used.email, passwordHash));
      if (!used || !user) throw new ApiError('INVALID_LINK_TOKEN');
      markStale({ target: 'user', id: user.id });
      await this.audit.record(manager, {
        tenantId: user.tenantId,
        action: 'user.invitation_accepted',
        actor: { userId: user.id },
        targetType: 'user',
        targetId: user.id,
        details: { email: used.email, passwordSet: passwordHash !== undefined },
      });
      return { email: used.email, emailVerified: true };
    });
  }
}
