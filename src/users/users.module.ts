import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@/audit/audit.module';
import { TenantsModule } from '@/tenants/tenants.module';
import { CurrentUserController } from './current-user.controller';
import { PasswordHasher } from './password-hasher';
import { UserAdministration } from './user-administration.service';
import { User } from './user.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User]), TenantsModule, AuditModule],
  controllers: [CurrentUserController, UsersController],
  providers: [UsersService, UserAdministration, PasswordHasher],
  exports: [UsersService, PasswordHasher],
})
export class UsersModule {}
