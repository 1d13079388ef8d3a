import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '@/accounts/accounts.module';
import { AuditModule } from '@/audit/audit.module';
import { SessionsModule } from '@/sessions/sessions.module';
import { User } from './user.entity';
import { UserAdministration } from './user-administration.service';
import { UsersController } from './users.controller';
import { UsersModule } from './users.module';

/**
 * What a tenant's admins do to its users (/api/users). Apart from UsersModule because it builds
 * on modules that themselves need users: adding someone mails an invitation, deactivating them
 * ends their sessions.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([User]),
    UsersModule,
    SessionsModule,
    AccountsModule,
    AuditModule,
  ],
  controllers: [UsersController],
  providers: [UserAdministration],
})
export class UserAdministrationModule {}
