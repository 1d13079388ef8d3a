import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { Trim } from '@/common/decorators/trim.decorator';

export class CreateProjectDto {
  @ApiProperty({ example: 'Website relaunch', minLength: 1, maxLength: 100 })
  @Trim()
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiPropertyOptional({ example: 'Everything for the new site', maxLength: 2000, nullable: true })
  @Trim()
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  description?: string | null;
}
