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
} from 'class-validator';
import { PERMISSIONS, Permission } from '@/auth/permissions';
import { Trim } from '@/common/decorators/trim.decorator';
import { KEY_ENVIRONMENTS, KeyEnvironment } from '../api-key-format';

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
  expiresAt?: Date;
}
