import { ApiProperty } from '@nestjs/swagger';
import { TENANT_STATUSES, TenantStatus } from '../plans';
import { TenantDto } from '../dto/tenant.dto';
import { LimitOverridesDto } from './operator-update-tenant.dto';

export class OperatorTenantDto extends TenantDto {
  @ApiProperty({ enum: TENANT_STATUSES })
  status: TenantStatus;

  @ApiProperty({
    type: LimitOverridesDto,
    description: "This tenant's overrides; null: the plan's",
  })
  overrides: { requestsPerMinute: number | null; maxActiveKeysPerUser: number | null };

  @ApiProperty()
  createdAt: Date;
}

export class OperatorTenantPageDto {
  @ApiProperty({ type: [OperatorTenantDto] })
  items: OperatorTenantDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}
