import {
  Check,
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
import { Permission } from '@/auth/permissions';
import { KeyEnvironment } from './api-key-format';

export type ApiKeyStatus = 'active' | 'revoked' | 'expired';

@Entity('api_keys')
@Check('api_keys_environment_check', `"environment" IN ('live', 'test')`)
@Index('api_keys_tenant_user_idx', ['tenantId', 'userId'])
export class ApiKey {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'api_keys_pkey' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'api_keys_tenant_id_fkey' })
  tenant?: Tenant;

  /** The owner: the key acts as this user, with the user's role at request time. */
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'api_keys_user_id_fkey' })
  user?: User;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 4 })
  environment: KeyEnvironment;

  /** SHA-256 (HMAC with API_KEY_PEPPER when set) of the full key, hex. Never the key. */
  @Index('api_keys_digest_key', { unique: true })
  @Column({ type: 'char', length: 64, select: false })
  digest?: string;

  @Column({ type: 'varchar', length: 40 })
  hint: string;

  /** null: every permission of the owner's role. */
  @Column({ type: 'text', array: true, nullable: true })
  scopes: Permission[] | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  /** Set when the key was rotated: the key that replaces it. */
  @Column({ name: 'replaced_by_id', type: 'uuid', nullable: true })
  replacedById: string | null;
}

export function statusOf(
  key: Pick<ApiKey, 'revokedAt' | 'expiresAt'>,
  now = Date.now(),
): ApiKeyStatus {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && key.expiresAt.getTime() <= now) return 'expired';
  return 'active';
}
