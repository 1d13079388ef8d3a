import { ApiProperty } from '@nestjs/swagger';
import { PERMISSIONS, Permission } from '@/auth/permissions';
import { KEY_ENVIRONMENTS, KeyEnvironment } from '../api-key-format';
import { ApiKeyStatus } from '../api-key.entity';

/** A key as lists show it: never the key itself. */
export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Zapier integration' })
  name: string;

  @ApiProperty({ example: 'prv_live_…15le' })
  hint: string;

  @ApiProperty({ enum: KEY_ENVIRONMENTS })
  environment: KeyEnvironment;

  @ApiProperty({
    enum: PERMISSIONS,
    isArray: true,
    nullable: true,
    description: 'null: all of the role',
  })
  scopes: Permission[] | null;

  @ApiProperty()
  createdAt: Date;

  @ApiProperty({ nullable: true, type: Date })
  lastUsedAt: Date | null;

  @ApiProperty({ nullable: true, type: Date })
  expiresAt: Date | null;

  @ApiProperty({ enum: ['active', 'revoked', 'expired'] })
  status: ApiKeyStatus;

  @ApiProperty({ nullable: true, type: Date })
  revokedAt: Date | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({
    example: 'prv_live_794df9bu824e7d0176e079940e0915le',
    description: 'The full key. Shown once, now: it cannot be retrieved again.',
  })
  key: string;
}

export class ApiKeyOwnerDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'ada@acme.test' })
  email: string;
}

export class TenantApiKeyDto extends ApiKeyDto {
  @ApiProperty({ type: ApiKeyOwnerDto })
  owner: ApiKeyOwnerDto;
}

export class TenantApiKeyPageDto {
  @ApiProperty({ type: [TenantApiKeyDto] })
  items: TenantApiKeyDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}
