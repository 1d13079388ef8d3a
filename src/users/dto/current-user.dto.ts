import { ApiProperty } from '@nestjs/swagger';
import { ROLES, Role } from '../roles';

export class CurrentUserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'ada@acme.test', description: 'The email' })
  username: string;

  @ApiProperty({ example: 'ada@acme.test' })
  email: string;

  @ApiProperty({ example: 'Ada Lovelace', nullable: true, type: String })
  name: string | null;

  @ApiProperty({ enum: ROLES })
  role: Role;

  @ApiProperty({ format: 'uuid' })
  tenantId: string;

  @ApiProperty({ description: 'The user proved the mailbox (a verification or invitation link)' })
  emailVerified: boolean;
}

export function toCurrentUserDto(user: {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  tenantId: string;
  emailVerified: boolean;
}): CurrentUserDto {
  return {
    id: user.id,
    username: user.email,
    email: user.email,
    name: user.name,
    role: user.role,
    tenantId: user.tenantId,
    emailVerified: user.emailVerified,
  };
}
