import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '@/auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '@/auth/decorators/current-principal.decorator';
import { Principal } from '@/auth/principal';
import { CurrentUserDto, toCurrentUserDto } from './dto/current-user.dto';

@ApiTags('users')
@Authenticated()
@Controller('user')
export class CurrentUserController {
  @Get()
  @ApiOperation({ summary: 'The caller: the quickest "is my key working?" check' })
  @ApiOkResponse({ type: CurrentUserDto })
  me(@CurrentPrincipal() principal: Principal): CurrentUserDto {
    const { userId: id, email, name, role, tenantId, emailVerified } = principal;
    return toCurrentUserDto({ id, email, name, role, tenantId, emailVerified });
  }
}
