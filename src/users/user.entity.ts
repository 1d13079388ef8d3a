import {
  Check,
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
import { Role, UserStatus } from './roles';

@Entity('users')
@Check('users_role_check', `"role" IN ('admin', 'member', 'viewer')`)
@Check('users_status_check', `"status" IN ('active', 'deactivated')`)
@Index('users_external_identity_key', ['externalIssuer', 'externalSubject'], { unique: true })
export class User {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'users_pkey' })
  id: string;

  @Index('users_tenant_id_idx')
  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'users_tenant_id_fkey' })
  tenant?: Tenant;

  /** Stored lower-cased; unique across the service. */
  @Index('users_email_key', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  name: string | null;

  @Column({ type: 'varchar', length: 20 })
  role: Role;

  @Column({ type: 'varchar', length: 20, default: 'active' })
  status: UserStatus;

  /** Never selected unless asked for by name (login). */
  @Column({ name: 'password_hash', type: 'text', nullable: true, select: false })
  passwordHash?: string | null;

  /** Set when the user proved the mailbox (a verification, invitation or reset link). */
  @Column({ name: 'email_verified_at', type: 'timestamptz', precision: 3, nullable: true })
  emailVerifiedAt: Date | null;

  /**
   * The admin who added the user; null when they signed up. Such a user proves the mailbox only
   * by accepting an invitation.
   */
  @Column({ name: 'invited_by', type: 'uuid', nullable: true })
  invitedBy: string | null;

  @Column({ name: 'external_issuer', type: 'text', nullable: true })
  externalIssuer: string | null;

  @Column({ name: 'external_subject', type: 'text', nullable: true })
  externalSubject: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
