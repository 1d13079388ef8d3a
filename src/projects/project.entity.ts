import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Tenant } from '@/tenants/tenant.entity';
import { User } from '@/users/user.entity';

@Entity('projects')
@Index('projects_tenant_created_idx', ['tenantId', 'createdAt', 'id'])
export class Project {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'projects_pkey' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'projects_tenant_id_fkey' })
  tenant?: Tenant;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  description: string | null;

  /** null once the creator is deleted: the project stays with the tenant. */
  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'projects_created_by_fkey' })
  creator?: User;

  /**
   * Milliseconds, as the list cursor (common/pagination) and JSON carry them: with microseconds,
   * rows created within one millisecond would be skipped when paging past the cursor.
   */
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  /** Same precision as createdAt, so a fresh row reads updatedAt === createdAt. */
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
