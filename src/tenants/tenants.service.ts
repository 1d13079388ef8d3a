import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AuditService } from '@/audit/audit.service';
import { Principal } from '@/auth/principal';
import { AppConfig } from '@/config/app-config';
import { TenantDto } from './dto/tenant.dto';
import { PlanLimits, effectiveLimits } from './plans';
import { Tenant } from './tenant.entity';

@Injectable()
export class TenantsService {
  constructor(
    @InjectRepository(Tenant) private readonly tenants: Repository<Tenant>,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /** New tenants start on the standard plan; `manager` joins the caller's transaction. */
  create(manager: EntityManager, name: string): Promise<Tenant> {
    return manager.save(manager.create(Tenant, { name, plan: 'standard', status: 'active' }));
  }

  /** In the caller's transaction. */
  find(manager: EntityManager, id: string): Promise<Tenant> {
    return manager.findOneByOrFail(Tenant, { id });
  }

  limitsOf(tenant: Tenant): PlanLimits {
    return effectiveLimits(tenant.plan, tenant, this.config);
  }

  toDto(tenant: Tenant): TenantDto {
    return { id: tenant.id, name: tenant.name, plan: tenant.plan, limits: this.limitsOf(tenant) };
  }

  async get(tenantId: string): Promise<TenantDto> {
    return this.toDto(await this.tenants.findOneByOrFail({ id: tenantId }));
  }

  async rename(principal: Principal, name: string): Promise<TenantDto> {
    const tenant = await this.dataSource.transaction(async (manager) => {
      const tenant = await manager.findOneByOrFail(Tenant, { id: principal.tenantId });
      await this.audit.record(manager, {
        tenantId: tenant.id,
        action: 'tenant.renamed',
        actor: principal,
        targetType: 'tenant',
        targetId: tenant.id,
        details: { from: tenant.name, to: name },
      });
      tenant.name = name;
      return manager.save(tenant);
    });
    return this.toDto(tenant);
  }
}
