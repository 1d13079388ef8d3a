import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuditService } from '@/audit/audit.service';
import { InvalidationBus } from '@/common/invalidation/invalidation.bus';
import { PageQueryDto, paginate } from '@/common/pagination';
import { Tenant } from '../tenant.entity';
import { TenantsService } from '../tenants.service';
import { OperatorTenantDto, OperatorTenantPageDto } from './operator-tenant.dto';
import { OperatorUpdateTenantDto } from './operator-update-tenant.dto';

/** The operator's view: plans come from billing, so only the operator changes them. */
@Injectable()
export class TenantAdministration {
  constructor(
    @InjectRepository(Tenant) private readonly tenants: Repository<Tenant>,
    private readonly tenantsService: TenantsService,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly bus: InvalidationBus,
  ) {}

  async list(page: PageQueryDto): Promise<OperatorTenantPageDto> {
    const query = this.tenants.createQueryBuilder('tenant');
    return paginate(query, page, (tenant) => this.toDto(tenant));
  }

  /** Every change is audited in the tenant's trail and reaches every cache before this returns. */
  async update(id: string, dto: OperatorUpdateTenantDto): Promise<OperatorTenantDto> {
    const tenant = await this.dataSource.transaction(async (manager) => {
      const tenant = await manager.findOne(Tenant, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!tenant) throw new NotFoundException('Tenant not found');
      const changes: [string, Record<string, unknown>][] = [];
      if (dto.plan !== undefined && dto.plan !== tenant.plan) {
        changes.push(['tenant.plan_changed', { from: tenant.plan, to: dto.plan }]);
        tenant.plan = dto.plan;
      }
      if (dto.status !== undefined && dto.status !== tenant.status) {
        changes.push(['tenant.status_changed', { from: tenant.status, to: dto.status }]);
        tenant.status = dto.status;
      }
      if (dto.limits) {
        const before = { ...this.overridesOf(tenant) };
        if (dto.limits.requestsPerMinute !== undefined) {
          tenant.requestsPerMinute = dto.limits.requestsPerMinute;
        }
        if (dto.limits.maxActiveKeysPerUser !== undefined) {
          tenant.maxActiveKeysPerUser = dto.limits.maxActiveKeysPerUser;
        }
        const after = this.overridesOf(tenant);
        if (JSON.stringify(after) !== JSON.stringify(before)) {
          changes.push(['tenant.limits_changed', { from: before, to: after }]);
        }
      }
      for (const [action, details] of changes) {
        await this.audit.record(manager, {
          tenantId: tenant.id,
          action,
          targetType: 'tenant',
          targetId: tenant.id,
          details,
        });
      }
      return manager.save(tenant);
    });
    await this.bus.publish({ target: 'tenant', id: tenant.id });
    return this.toDto(tenant);
  }

  private overridesOf(tenant: Tenant): OperatorTenantDto['overrides'] {
    return {
      requestsPerMinute: tenant.requestsPerMinute,
      maxActiveKeysPerUser: tenant.maxActiveKeysPerUser,
    };
  }

  private toDto(tenant: Tenant): OperatorTenantDto {
    return {
      ...this.tenantsService.toDto(tenant),
      status: tenant.status,
      overrides: this.overridesOf(tenant),
      createdAt: tenant.createdAt,
    };
  }
}
