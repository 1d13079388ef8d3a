import { ApiProperty } from '@nestjs/swagger';
import { AuditEvent } from '../audit-event.entity';

export class AuditEventDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'api_key.revoked' })
  action: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null: the operator' })
  actorUserId: string | null;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The key the actor used',
  })
  actorApiKeyId: string | null;

  @ApiProperty({ example: 'api_key' })
  targetType: string;

  @ApiProperty({ format: 'uuid' })
  targetId: string;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { hint: 'prv_live_…15le' } })
  details: Record<string, unknown>;

  @ApiProperty()
  createdAt: Date;
}

export class AuditEventPageDto {
  @ApiProperty({ type: [AuditEventDto] })
  items: AuditEventDto[];

  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page' })
  nextCursor: string | null;
}

export function toAuditEventDto(event: AuditEvent): AuditEventDto {
  return {
    id: event.id,
    action: event.action,
    actorUserId: event.actorUserId,
    actorApiKeyId: event.actorApiKeyId,
    targetType: event.targetType,
    targetId: event.targetId,
    details: event.details,
    createdAt: event.createdAt,
  };
}
