import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TenantsModule } from '@/tenants/tenants.module';
import { CurrentUserController } from './current-user.controller';
import { User } from './user.entity';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User]), TenantsModule],
  controllers: [CurrentUserController],
  providers: [UsersService],
  exports: [UsersService],
})
export class UsersModule {}
