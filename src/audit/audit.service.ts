import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Principal } from '@/auth/principal';
import { PageQueryDto, paginate } from '@/common/pagination';
import { AuditEvent } from './audit-event.entity';
import { AuditEventPageDto, toAuditEventDto } from './dto/audit-event.dto';

export interface NewAuditEvent {
  tenantId: string;
  action: string;
  /** undefined: the operator or the system acted. */
  actor?: Pick<Principal, 'userId' | 'apiKeyId'>;
  targetType: string;
  targetId: string;
  details?: Record<string, unknown>;
}

@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  /** Written in the caller's transaction, so an event exists exactly when its change does. */
  async record(manager: EntityManager, event: NewAuditEvent): Promise<void> {
    const row = manager.create(AuditEvent, {
      tenantId: event.tenantId,
      action: event.action,
      actorUserId: event.actor?.userId ?? null,
      actorApiKeyId: event.actor?.apiKeyId ?? null,
      targetType: event.targetType,
      targetId: event.targetId,
      details: event.details ?? {},
    });
    await manager.save(row);
  }

  /** Newest first. */
  async list(tenantId: string, page: PageQueryDto): Promise<AuditEventPageDto> {
    const query = this.events
      .createQueryBuilder('event')
      .where('event.tenantId = :tenantId', { tenantId });
    return paginate(query, page, toAuditEventDto);
  }
}
