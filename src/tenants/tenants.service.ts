import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AppConfig } from '@/config/app-config';
import { TenantDto } from './dto/tenant.dto';
import { PlanLimits, effectiveLimits } from './plans';
import { Tenant } from './tenant.entity';

@Injectable()
export class TenantsService {
  constructor(
    @InjectRepository(Tenant) private readonly tenants: Repository<Tenant>,
    private readonly config: AppConfig,
  ) {}

  /** New tenants start on the standard plan; `manager` joins the caller's transaction. */
  create(manager: EntityManager, name: string): Promise<Tenant> {
    return manager.save(manager.create(Tenant, { name, plan: 'standard', status: 'active' }));
  }

  limitsOf(tenant: Tenant): PlanLimits {
    return effectiveLimits(tenant.plan, tenant, this.config);
  }

  toDto(tenant: Tenant): TenantDto {
    return { id: tenant.id, name: tenant.name, plan: tenant.plan, limits: this.limitsOf(tenant) };
  }

  findById(tenantId: string): Promise<Tenant | null> {
    return this.tenants.findOneBy({ id: tenantId });
  }
}
