import { ApiProperty } from '@nestjs/swagger';
import { TenantDto } from '@/tenants/dto/tenant.dto';
import { CurrentUserDto } from '@/users/dto/current-user.dto';
import { TokenResponseDto } from './token-response.dto';

export class SignupResponseDto extends TokenResponseDto {
  @ApiProperty({ type: CurrentUserDto })
  user: CurrentUserDto;

  @ApiProperty({ type: TenantDto })
  tenant: TenantDto;
}
