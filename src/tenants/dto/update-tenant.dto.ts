import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { Trim } from '@/common/decorators/trim.decorator';

export class UpdateTenantDto {
  @ApiProperty({ example: 'Acme Inc.', minLength: 1, maxLength: 100 })
  @Trim()
  @IsString()
  @Length(1, 100)
  name: string;
}
