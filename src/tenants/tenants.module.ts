import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@/audit/audit.module';
import { ThrottlingModule } from '@/throttling/throttling.module';
import { OperatorGuard } from './operator/operator.guard';
import { OperatorTenantsController } from './operator/operator-tenants.controller';
import { TenantAdministration } from './operator/tenant-administration.service';
import { TenantController } from './tenant.controller';
import { Tenant } from './tenant.entity';
import { TenantsService } from './tenants.service';

@Module({
  imports: [TypeOrmModule.forFeature([Tenant]), AuditModule, ThrottlingModule],
  controllers: [TenantController, OperatorTenantsController],
  providers: [TenantsService, TenantAdministration, OperatorGuard],
  exports: [TenantsService],
})
export class TenantsModule {}
