import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal } from '@/auth/decorators/current-principal.decorator';
import { RequirePermissions } from '@/auth/decorators/require-permissions.decorator';
import { Principal } from '@/auth/principal';
import { ErrorResponseDto } from '@/common/dto/error-response.dto';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { RotateApiKeyDto } from './dto/rotate-api-key.dto';

@ApiTags('api-keys')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid body or id' })
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @RequirePermissions('api-keys:write')
  @ApiOperation({ summary: 'Create a key. The full key is in this answer only: copy it now.' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: "The plan's active-key limit is reached",
  })
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateApiKeyDto,
  ): Promise<CreatedApiKeyDto> {
    return this.apiKeys.create(principal, dto);
  }

  @Get()
  @RequirePermissions('api-keys:read')
  @ApiOperation({ summary: 'Your keys, newest first (never the keys themselves)' })
  @ApiOkResponse({ type: [ApiKeyDto] })
  list(@CurrentPrincipal() principal: Principal): Promise<ApiKeyDto[]> {
    return this.apiKeys.listOwn(principal);
  }

  @Get(':id')
  @RequirePermissions('api-keys:read')
  @ApiOperation({ summary: 'One of your keys (admins: any key of the tenant)' })
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ApiKeyDto> {
    return this.apiKeys.get(principal, id);
  }

  @Post(':id/revoke')
  @HttpCode(HttpStatus.OK)
  @RequirePermissions('api-keys:write')
  @ApiOperation({ summary: 'Revoke a key, at once and for good (admins: any key of the tenant)' })
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ApiKeyDto> {
    return this.apiKeys.revoke(principal, id);
  }

  @Post(':id/rotate')
  @HttpCode(HttpStatus.CREATED)
  @RequirePermissions('api-keys:write')
  @ApiOperation({ summary: 'Replace one of your keys; the old one stops after the grace period' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'The key is revoked, expired or already rotated',
  })
  rotate(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RotateApiKeyDto,
  ): Promise<CreatedApiKeyDto> {
    return this.apiKeys.rotate(principal, id, dto.gracePeriodSeconds ?? 0);
  }
}
