import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Plan, TenantStatus } from './plans';

@Entity('tenants')
@Check('tenants_plan_check', `"plan" IN ('standard', 'enterprise')`)
@Check('tenants_status_check', `"status" IN ('active', 'suspended')`)
export class Tenant {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'tenants_pkey' })
  id: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 20, default: 'standard' })
  plan: Plan;

  @Column({ type: 'varchar', length: 20, default: 'active' })
  status: TenantStatus;

  @Column({ name: 'requests_per_minute', type: 'integer', nullable: true })
  requestsPerMinute: number | null;

  @Column({ name: 'max_active_keys_per_user', type: 'integer', nullable: true })
  maxActiveKeysPerUser: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
