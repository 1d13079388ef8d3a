import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Principal } from '@/auth/principal';
import { PageQueryDto, paginate } from '@/common/pagination';
import { CreateProjectDto } from './dto/create-project.dto';
import { ProjectDto, ProjectPageDto, toProjectDto } from './dto/project.dto';
import { UpdateProjectDto } from './dto/update-project.dto';
import { Project } from './project.entity';

const NOT_FOUND = 'Project not found';

/** Tenant-scoped CRUD: every query names the tenant, so another tenant's project is a 404. */
@Injectable()
export class ProjectsService {
  constructor(@InjectRepository(Project) private readonly projects: Repository<Project>) {}

  /** Newest first. */
  async list(tenantId: string, page: PageQueryDto): Promise<ProjectPageDto> {
    const query = this.projects
      .createQueryBuilder('project')
      .where('project.tenantId = :tenantId', { tenantId });
    return paginate(query, page, toProjectDto);
  }

  async get(tenantId: string, id: string): Promise<ProjectDto> {
    return toProjectDto(await this.find(tenantId, id));
  }

  async create(principal: Principal, dto: CreateProjectDto): Promise<ProjectDto> {
    const project = await this.projects.save(
      this.projects.create({
        tenantId: principal.tenantId,
        name: dto.name,
        description: dto.description ?? null,
        createdBy: principal.userId,
      }),
    );
    return toProjectDto(project);
  }

  async update(tenantId: string, id: string, dto: UpdateProjectDto): Promise<ProjectDto> {
    const changes: Partial<Pick<Project, 'name' | 'description'>> = {};
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.description !== undefined) changes.description = dto.description;
    if (Object.keys(changes).length > 0) {
      const result = await this.projects.update({ tenantId, id }, changes);
      if (!result.affected) throw new NotFoundException(NOT_FOUND);
    }
    return this.get(tenantId, id);
  }

  async remove(tenantId: string, id: string): Promise<void> {
    const result = await this.projects.delete({ tenantId, id });
    if (!result.affected) throw new NotFoundException(NOT_FOUND);
  }

  private async find(tenantId: string, id: string): Promise<Project> {
    const project = await this.projects.findOneBy({ tenantId, id });
    if (!project) throw new NotFoundException(NOT_FOUND);
    return project;
  }
}
