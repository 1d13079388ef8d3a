import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@/audit/audit.module';
import { BackgroundWork } from '@/common/background-work';
import { SessionsModule } from '@/sessions/sessions.module';
import { TenantsModule } from '@/tenants/tenants.module';
import { ThrottlingModule } from '@/throttling/throttling.module';
import { UsersModule } from '@/users/users.module';
import { AccountLinksController } from './account-links.controller';
import { AccountMails } from './account-mails';
import { AccountToken } from './account-token.entity';
import { AccountTokenSweeper } from './account-token-sweeper';
import { AccountTokens } from './account-tokens.service';
import { EmailVerification } from './email-verification.service';
import { Invitations } from './invitations.service';
import { LockoutNotices } from './lockout-notices';
import { OwnAccountController } from './own-account.controller';
import { Passwords } from './passwords.service';

/** An account's life by mail: verified emails, invitations, forgotten and changed passwords. */
@Module({
  imports: [
    TypeOrmModule.forFeature([AccountToken]),
    UsersModule,
    SessionsModule,
    TenantsModule,
    AuditModule,
    ThrottlingModule,
  ],
  controllers: [AccountLinksController, OwnAccountController],
  providers: [
    BackgroundWork,
    AccountTokens,
    AccountMails,
    EmailVerification,
    Invitations,
    Passwords,
    AccountTokenSweeper,
    LockoutNotices,
  ],
  exports: [EmailVerification, Invitations, AccountMails, BackgroundWork, LockoutNotices],
})
export class AccountsModule {}
