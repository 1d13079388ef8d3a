import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '@/auth/decorators/current-principal.decorator';
import { RequirePermissions } from '@/auth/decorators/require-permissions.decorator';
import { Principal } from '@/auth/principal';
import { ErrorResponseDto } from '@/common/dto/error-response.dto';
import { PageQueryDto } from '@/common/pagination';
import { AuditService } from './audit.service';
import { AuditEventPageDto } from './dto/audit-event.dto';

@ApiTags('audit')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid limit or cursor' })
@Controller('audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequirePermissions('audit:read')
  @ApiOperation({ summary: "The tenant's audit trail, newest first" })
  @ApiOkResponse({ type: AuditEventPageDto })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() page: PageQueryDto,
  ): Promise<AuditEventPageDto> {
    return this.audit.list(principal.tenantId, page);
  }
}
