import { ApiProperty } from '@nestjs/swagger';
import { Project } from '../project.entity';

export class ProjectDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Website relaunch' })
  name: string;

  @ApiProperty({ nullable: true, type: String, example: 'Everything for the new site' })
  description: string | null;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The user who created it; null once that user is deleted',
  })
  createdBy: string | null;

  @ApiProperty()
  createdAt: Date;

  @ApiProperty()
  updatedAt: Date;
}

export class ProjectPageDto {
  @ApiProperty({ type: [ProjectDto] })
  items: ProjectDto[];

  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page' })
  nextCursor: string | null;
}

export function toProjectDto(project: Project): ProjectDto {
  return {
    id: project.id,
    name: project.name,
    description: project.description,
    createdBy: project.createdBy,
    createdAt: project.createdAt,
    updatedAt: project.updatedAt,
  };
}
