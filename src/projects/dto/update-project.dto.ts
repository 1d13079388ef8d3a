import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, ValidateIf } from 'class-validator';
import { Trim } from '@/common/decorators/trim.decorator';

/** Only the fields present change; an empty body changes nothing. */
export class UpdateProjectDto {
  @ApiPropertyOptional({ example: 'Website relaunch', minLength: 1, maxLength: 100 })
  @Trim()
  // Absent means "keep"; null is not a name (unlike @IsOptional, which would let null through).
  @ValidateIf((_, value) => value !== undefined)
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({ maxLength: 2000, nullable: true, description: 'null clears it' })
  @Trim()
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  description?: string | null;
}
