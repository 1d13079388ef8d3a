import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '@/auth/decorators/current-principal.decorator';
import { RequirePermissions } from '@/auth/decorators/require-permissions.decorator';
import { Principal } from '@/auth/principal';
import { ErrorResponseDto } from '@/common/dto/error-response.dto';
import { TenantDto } from './dto/tenant.dto';
import { UpdateTenantDto } from './dto/update-tenant.dto';
import { TenantsService } from './tenants.service';

@ApiTags('tenant')
@Controller('tenant')
export class TenantController {
  constructor(private readonly tenants: TenantsService) {}

  @Get()
  @RequirePermissions('tenant:read')
  @ApiOperation({ summary: "The caller's tenant: plan and effective limits" })
  @ApiOkResponse({ type: TenantDto })
  get(@CurrentPrincipal() principal: Principal): Promise<TenantDto> {
    return this.tenants.get(principal.tenantId);
  }

  @Patch()
  @RequirePermissions('tenant:manage')
  @ApiOperation({ summary: 'Rename the tenant (plans are changed by the operator)' })
  @ApiOkResponse({ type: TenantDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  update(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: UpdateTenantDto,
  ): Promise<TenantDto> {
    return this.tenants.rename(principal, dto.name);
  }
}
