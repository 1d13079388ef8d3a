import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '@/common/dto/error-response.dto';
import { PageQueryDto } from '@/common/pagination';
import { OperatorTenantDto, OperatorTenantPageDto } from './operator-tenant.dto';
import { OperatorUpdateTenantDto } from './operator-update-tenant.dto';
import { OperatorOnly } from './operator-only.decorator';
import { TenantAdministration } from './tenant-administration.service';

@ApiTags('operator')
@ApiBadRequestResponse({ type: ErrorResponseDto })
@OperatorOnly()
@Controller('operator/tenants')
export class OperatorTenantsController {
  constructor(private readonly tenants: TenantAdministration) {}

  @Get()
  @ApiOperation({ summary: 'Every tenant, newest first' })
  @ApiOkResponse({ type: OperatorTenantPageDto })
  list(@Query() page: PageQueryDto): Promise<OperatorTenantPageDto> {
    return this.tenants.list(page);
  }

  @Patch(':id')
  @ApiOperation({ summary: "Change a tenant's plan, status or limits; effective at once" })
  @ApiOkResponse({ type: OperatorTenantDto })
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: OperatorUpdateTenantDto,
  ): Promise<OperatorTenantDto> {
    return this.tenants.update(id, dto);
  }
}
