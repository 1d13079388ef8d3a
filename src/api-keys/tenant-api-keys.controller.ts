import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '@/auth/decorators/current-principal.decorator';
import { RequirePermissions } from '@/auth/decorators/require-permissions.decorator';
import { Principal } from '@/auth/principal';
import { ErrorResponseDto } from '@/common/dto/error-response.dto';
import { PageQueryDto } from '@/common/pagination';
import { ApiKeysService } from './api-keys.service';
import { TenantApiKeyPageDto } from './dto/api-key.dto';

@ApiTags('api-keys')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid limit or cursor' })
@Controller('tenant/api-keys')
export class TenantApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Get()
  @RequirePermissions('api-keys:manage')
  @ApiOperation({ summary: 'Every key of the tenant, with its owner, newest first' })
  @ApiOkResponse({ type: TenantApiKeyPageDto })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() page: PageQueryDto,
  ): Promise<TenantApiKeyPageDto> {
    return this.apiKeys.listTenant(principal, page);
  }
}
