import { ApiProperty } from '@nestjs/swagger';
import { ROLES, Role, USER_STATUSES, UserStatus } from '../roles';
import { User } from '../user.entity';

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'grace@acme.test' })
  email: string;

  @ApiProperty({ example: 'Grace Hopper', nullable: true, type: String })
  name: string | null;

  @ApiProperty({ enum: ROLES })
  role: Role;

  @ApiProperty({ enum: USER_STATUSES })
  status: UserStatus;

  @ApiProperty({ description: 'Linked to the external identity provider' })
  externallyLinked: boolean;

  @ApiProperty()
  createdAt: Date;
}

export class UserPageDto {
  @ApiProperty({ type: [UserDto] })
  items: UserDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}

export function toUserDto(user: User): UserDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    status: user.status,
    externallyLinked: user.externalSubject !== null,
    createdAt: user.createdAt,
  };
}
