import { ApiProperty } from '@nestjs/swagger';

export class TokenResponseDto {
  @ApiProperty({ description: 'A JWT; send it as `Authorization: Bearer <accessToken>`' })
  accessToken: string;

  @ApiProperty({ example: 'Bearer' })
  tokenType: 'Bearer';

  @ApiProperty({ example: 900, description: 'Seconds until the access token expires' })
  expiresIn: number;

  @ApiProperty({
    description:
      'Opaque and single-use: POST it to /api/auth/refresh for the next access token (and the ' +
      'next refresh token) before this one expires. Also set as the `latchkey_refresh` cookie.',
  })
  refreshToken: string;
}
