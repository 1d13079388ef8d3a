import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { User } from '@/users/user.entity';

export const ACCOUNT_TOKEN_PURPOSES = ['verify_email', 'invitation', 'password_reset'] as const;
export type AccountTokenPurpose = (typeof ACCOUNT_TOKEN_PURPOSES)[number];

/**
 * A single-use token mailed to a user (the link in a verification, invitation or reset mail),
 * by digest only. It vouches for `email` as it was when the mail was sent.
 */
@Entity('account_tokens')
@Check(
  'account_tokens_purpose_check',
  `"purpose" IN ('verify_email', 'invitation', 'password_reset')`,
)
@Index('account_tokens_user_purpose_idx', ['userId', 'purpose', 'createdAt'])
export class AccountToken {
  /** SHA-256 of the token, hex. Never the token. */
  @PrimaryColumn({ type: 'char', length: 64, primaryKeyConstraintName: 'account_tokens_pkey' })
  digest: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'account_tokens_user_id_fkey' })
  user?: User;

  @Column({ type: 'varchar', length: 20 })
  purpose: AccountTokenPurpose;

  /** The address the token was mailed to. */
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', precision: 3, nullable: true })
  usedAt: Date | null;
}
