import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@/audit/audit.module';
import { UsersModule } from '@/users/users.module';
import { ApiKeyDigester } from './api-key.digester';
import { ApiKey } from './api-key.entity';
import { ApiKeyVerifier } from './api-key.verifier';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { KeyUsageRecorder } from './key-usage.recorder';
import { TenantApiKeysController } from './tenant-api-keys.controller';

@Module({
  imports: [TypeOrmModule.forFeature([ApiKey]), UsersModule, AuditModule],
  controllers: [ApiKeysController, TenantApiKeysController],
  providers: [ApiKeysService, ApiKeyVerifier, ApiKeyDigester, KeyUsageRecorder],
  exports: [ApiKeyVerifier, KeyUsageRecorder],
})
export class ApiKeysModule {}
