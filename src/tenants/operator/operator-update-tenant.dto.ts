import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PLANS, Plan, TENANT_STATUSES, TenantStatus } from '../plans';

/** null clears an override, so the plan's default applies again. */
export class LimitOverridesDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1_000_000, nullable: true, type: Number })
  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  requestsPerMinute?: number | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 100_000, nullable: true, type: Number })
  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  maxActiveKeysPerUser?: number | null;
}

/** Absent means "keep"; null is neither a plan nor a status (@IsOptional would let it through). */
const present = (_: object, value: unknown): boolean => value !== undefined;

export class OperatorUpdateTenantDto {
  @ApiPropertyOptional({ enum: PLANS })
  @ValidateIf(present)
  @IsIn(PLANS)
  plan?: Plan;

  @ApiPropertyOptional({ enum: TENANT_STATUSES })
  @ValidateIf(present)
  @IsIn(TENANT_STATUSES)
  status?: TenantStatus;

  @ApiPropertyOptional({ type: LimitOverridesDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LimitOverridesDto)
  limits?: LimitOverridesDto;
}
