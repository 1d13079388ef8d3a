import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** The refresh token in the body, or else the `latchkey_refresh` cookie. */
export class RefreshTokenDto {
  @ApiPropertyOptional({
    description: 'The refresh token; omit it to use the `latchkey_refresh` cookie',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  refreshToken?: string;
}
