import { ApiProperty } from '@nestjs/swagger';

export class SessionDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'When the session signed in' })
  createdAt: Date;

  @ApiProperty({
    nullable: true,
    type: Date,
    description: 'Its last request or refresh (requests are written within 10 s)',
  })
  lastUsedAt: Date | null;

  @ApiProperty({ description: 'When it ends at the latest (SESSION_TTL_SECONDS after sign-in)' })
  expiresAt: Date;

  @ApiProperty({ nullable: true, type: String, example: 'Mozilla/5.0 (X11; Linux x86_64) …' })
  userAgent: string | null;

  @ApiProperty({ nullable: true, type: String, example: '203.0.113.7' })
  ip: string | null;

  @ApiProperty({ description: "The session of this request's access token" })
  current: boolean;
}

export class SessionPageDto {
  @ApiProperty({ type: [SessionDto] })
  items: SessionDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}
