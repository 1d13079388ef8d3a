import { ApiProperty } from '@nestjs/swagger';
import { PLANS, Plan, PlanLimits } from '../plans';

export class TenantLimitsDto {
  @ApiProperty({ example: 100 })
  requestsPerMinute: number;

  @ApiProperty({ example: 5, nullable: true, type: Number, description: 'null: unlimited' })
  maxActiveKeysPerUser: number | null;
}

export class TenantDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Acme Inc.' })
  name: string;

  @ApiProperty({ enum: PLANS })
  plan: Plan;

  @ApiProperty({ type: TenantLimitsDto })
  limits: PlanLimits;
}
