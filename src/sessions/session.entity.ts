import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Tenant } from '@/tenants/tenant.entity';
import { User } from '@/users/user.entity';

/** Why a session ended: written once, never changed. */
export const SESSION_END_REASONS = [
  'logout',
  'ended_by_user',
  'password_changed',
  'password_reset',
  'deactivated',
  'refresh_token_reused',
  'invitation_accepted',
  'too_many_sessions',
] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

/**
 * A sign-in: what a login starts and its refresh tokens keep alive until `expiresAt` (fixed at
 * login). Its access tokens carry its id (`sid`) and stop working the moment it ends.
 */
@Entity('sessions')
@Index('sessions_user_created_idx', ['userId', 'createdAt', 'id'])
export class Session {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'sessions_pkey' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'sessions_tenant_id_fkey' })
  tenant?: Tenant;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'sessions_user_id_fkey' })
  user?: User;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 })
  expiresAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', precision: 3, nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'ended_at', type: 'timestamptz', precision: 3, nullable: true })
  endedAt: Date | null;

  @Column({ name: 'end_reason', type: 'varchar', length: 30, nullable: true })
  endReason: SessionEndReason | null;

  /** The client's User-Agent at sign-in (or at its last refresh), cut to 256 characters. */
  @Column({ name: 'user_agent', type: 'varchar', length: 256, nullable: true })
  userAgent: string | null;

  /** The client's address at sign-in (or at its last refresh). */
  @Column({ type: 'varchar', length: 45, nullable: true })
  ip: string | null;
}
