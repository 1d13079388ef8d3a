import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDate,
  IsIn,
  IsOptional,
  IsString,
  Length,
  MaxDate,
} from 'class-validator';
import { PERMISSIONS, Permission } from '@/auth/permissions';
import { Trim } from '@/common/decorators/trim.decorator';
import { KEY_ENVIRONMENTS, KeyEnvironment } from '../api-key-format';

const LAST_DATE = new Date('9999-12-31T23:59:59.999Z');

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Zapier integration', minLength: 1, maxLength: 100 })
  @Trim()
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiPropertyOptional({ enum: KEY_ENVIRONMENTS, default: 'live' })
  @IsOptional()
  @IsIn(KEY_ENVIRONMENTS)
  environment?: KeyEnvironment;

  @ApiPropertyOptional({
    enum: PERMISSIONS,
    isArray: true,
    description: 'Narrow the key to these permissions (within your own). Omit for all of them.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @ArrayMaxSize(PERMISSIONS.length)
  @IsIn(PERMISSIONS, { each: true })
  scopes?: Permission[];

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When the key stops working; in the future',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  // Later dates fit PostgreSQL but not RFC 3339 (`+020000-…`): answers could not say them back.
  @MaxDate(LAST_DATE, { message: 'expiresAt must be before the year 10000' })
  expiresAt?: Date;
}
