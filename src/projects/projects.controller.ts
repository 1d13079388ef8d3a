import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal } from '@/auth/decorators/current-principal.decorator';
import { RequirePermissions } from '@/auth/decorators/require-permissions.decorator';
import { Principal } from '@/auth/principal';
import { ErrorResponseDto } from '@/common/dto/error-response.dto';
import { PageQueryDto } from '@/common/pagination';
import { CreateProjectDto } from './dto/create-project.dto';
import { ProjectDto, ProjectPageDto } from './dto/project.dto';
import { UpdateProjectDto } from './dto/update-project.dto';
import { ProjectsService } from './projects.service';

@ApiTags('projects')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid body, query or id' })
@Controller('projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Get()
  @RequirePermissions('projects:read')
  @ApiOperation({ summary: "The tenant's projects, newest first" })
  @ApiOkResponse({ type: ProjectPageDto })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() page: PageQueryDto,
  ): Promise<ProjectPageDto> {
    return this.projects.list(principal.tenantId, page);
  }

  @Post()
  @RequirePermissions('projects:write')
  @ApiOperation({ summary: 'Create a project in your tenant' })
  @ApiCreatedResponse({ type: ProjectDto })
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateProjectDto,
  ): Promise<ProjectDto> {
    return this.projects.create(principal, dto);
  }

  @Get(':id')
  @RequirePermissions('projects:read')
  @ApiOperation({ summary: 'One project' })
  @ApiOkResponse({ type: ProjectDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ProjectDto> {
    return this.projects.get(principal.tenantId, id);
  }

  @Patch(':id')
  @RequirePermissions('projects:write')
  @ApiOperation({ summary: 'Change the fields given; the others stay as they are' })
  @ApiOkResponse({ type: ProjectDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateProjectDto,
  ): Promise<ProjectDto> {
    return this.projects.update(principal.tenantId, id, dto);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequirePermissions('projects:delete')
  @ApiOperation({ summary: 'Delete a project, for good' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    return this.projects.remove(principal.tenantId, id);
  }
}
