import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '@/auth/principal';
import { ApiError } from '@/common/errors';
import { InvalidationBus } from '@/common/invalidation/invalidation.bus';
import { transactionThenPublish } from '@/common/invalidation/transaction-then-publish';
import { Mailer, OutgoingMail } from '@/mail/mailer.service';
import { UsersService } from '@/users/users.service';
import { AccountMails } from './account-mails';
import { AccountTokens } from './account-tokens.service';
import { EmailVerifiedDto } from './dto/account-links.dto';

/** One verification mail a minute at most, whatever the clicks on "resend". */
const RESEND_COOLDOWN_MS = 60_000;

/** Proving an email address: a link mailed to it at sign-up (or on request), used once. */
@Injectable()
export class EmailVerification {
  constructor(
    private readonly tokens: AccountTokens,
    private readonly users: UsersService,
    private readonly mails: AccountMails,
    private readonly mailer: Mailer,
    private readonly dataSource: DataSource,
    private readonly bus: InvalidationBus,
  ) {}

  /** In the sign-up's transaction: the mail to send once it has committed. */
  async issue(
    manager: EntityManager,
    user: { id: string; email: string; name: string | null },
    tenantName?: string,
  ): Promise<OutgoingMail> {
    const token = await this.tokens.issue(manager, user, 'verify_email');
    return this.mails.verification(user, token, tenantName);
  }

  async verify(token: string): Promise<EmailVerifiedDto> {
    const verified = await transactionThenPublish(
      this.dataSource,
      this.bus,
      async (manager, markStale) => {
        const used = await this.tokens.consume(manager, token, 'verify_email');
        const user = used && (await this.users.confirmMailbox(manager, used.userId, used.email));
        if (!used || !user) return undefined;
        markStale({ target: 'user', id: user.id });
        return used.email;
      },
    );
    if (!verified) throw new ApiError('INVALID_LINK_TOKEN');
    return { email: verified, emailVerified: true };
  }

  /** Another link, unless the email is verified already or a link went out a minute ago. */
  async resend(principal: Principal): Promise<void> {
    if (principal.emailVerified) return;
    const user = {
      id: principal.userId,
      tenantId: principal.tenantId,
      email: principal.email,
      name: principal.name,
    };
    const token = await this.dataSource.transaction((manager) =>
      this.tokens.issueUnlessRecent(manager, user, 'verify_email', RESEND_COOLDOWN_MS),
    );
    if (token) this.mailer.send(this.mails.verification(user, token));
  }
}
