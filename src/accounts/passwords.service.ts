import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '@/audit/audit.service';
import { BackgroundWork } from '@/common/background-work';
import { Principal } from '@/auth/principal';
import { ApiError } from '@/common/errors';
import { InvalidationBus } from '@/common/invalidation/invalidation.bus';
import { transactionThenPublish } from '@/common/invalidation/transaction-then-publish';
import { Mailer } from '@/mail/mailer.service';
import { SessionsService } from '@/sessions/sessions.service';
import { LoginLockout } from '@/throttling/login-lockout/login-lockout';
import { PasswordHasher } from '@/users/password-hasher';
import { UsersService } from '@/users/users.service';
import { AccountMails } from './account-mails';
import { AccountTokens } from './account-tokens.service';
import { ChangePasswordDto } from './dto/account-links.dto';
import { LockoutNotices } from './lockout-notices';

/** One reset mail a minute at most per account, however often someone asks. */
const RESET_COOLDOWN_MS = 60_000;

/**
 * Forgotten and changed passwords. A reset ends every session of the user, a change every other
 * one; API keys are not touched by either (they are credentials of their own, revoked by hand).
 */
@Injectable()
export class Passwords {
  constructor(
    private readonly tokens: AccountTokens,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly mails: AccountMails,
    private readonly mailer: Mailer,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
    private readonly bus: InvalidationBus,
    private readonly background: BackgroundWork,
    private readonly lockout: LoginLockout,
    private readonly lockoutNotices: LockoutNotices,
  ) {}

  /**
   * Answers the same, at once, whether or not the email belongs to someone: the lookup and the
   * mail happen after the answer, so not even its timing tells.
   */
  requestReset(email: string): void {
    this.background.run('Mailing a password reset', () => this.mailReset(email));
  }

  async reset(token: string, password: string): Promise<void> {
    // Refused before the argon2 work a new password costs.
    if (!(await this.tokens.usable(token, 'password_reset'))) {
      throw new ApiError('INVALID_LINK_TOKEN');
    }
    const passwordHash = await this.hasher.hash(password);
    await transactionThenPublish(this.dataSource, this.bus, async (manager, markStale) => {
      const used = await this.tokens.consume(manager, token, 'password_reset');
      const user =
        used &&
        (await this.users.confirmMailbox(manager, used.userId, used.email, {
          by: 'reset',
          passwordHash,
        }));
      if (!user) throw new ApiError('INVALID_LINK_TOKEN');
      await this.sessions.endAll(manager, user.id, 'password_reset', markStale);
      markStale({ target: 'user', id: user.id });
      await this.audit.record(manager, {
        tenantId: user.tenantId,
        action: 'user.password_reset',
        actor: { userId: user.id },
        targetType: 'user',
        targetId: user.id,
      });
    });
  }

  /**
   * Needs the current password; ends every session but the caller's. A wrong current password
   * counts as a failed login for the caller's email and address: a stolen access token is not a
   * way around the login lockout.
   */
  async change(principal: Principal, dto: ChangePasswordDto, address: string): Promise<void> {
    const attempt = await this.lockout.attempt(principal.email, address);
    const current = await this.users.findPasswordHash(principal.userId);
    if (!(await this.hasher.verify(current, dto.currentPassword))) {
      if (attempt.lockout) {
        this.lockoutNotices.send(
          { id: principal.userId, email: principal.email },
          address,
          attempt.lockout,
        );
      }
      throw new ApiError('WRONG_PASSWORD');
    }
    await this.lockout.succeeded(attempt);
    const passwordHash = await this.hasher.hash(dto.newPassword);
    await transactionThenPublish(this.dataSource, this.bus, async (manager, markStale) => {
      await this.users.setPasswordHash(manager, principal.userId, passwordHash);
      await this.sessions.endAll(
        manager,
        principal.userId,
        'password_changed',
        markStale,
        principal.sessionId,
      );
      await this.audit.record(manager, {
        tenantId: principal.tenantId,
        action: 'user.password_changed',
        actor: principal,
        targetType: 'user',
        targetId: principal.userId,
      });
    });
  }

  private async mailReset(email: string): Promise<void> {
    const account = await this.users.findAccountByEmail(email);
    if (account?.status !== 'active' || account.tenantStatus !== 'active') return;
    const user = { id: account.userId, tenantId: account.tenantId, email: account.email };
    const token = await this.dataSource.transaction((manager) =>
      this.tokens.issueUnlessRecent(manager, user, 'password_reset', RESET_COOLDOWN_MS),
    );
    if (token) this.mailer.send(this.mails.passwordReset(user, token));
  }
}
