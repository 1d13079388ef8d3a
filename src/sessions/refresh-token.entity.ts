import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { Session } from './session.entity';

/**
 * One refresh token of a session, by digest only. A refresh uses it up (`usedAt`) and issues
 * the next; a used-up token presented again ends the session (reuse detection), so used tokens
 * are kept as long as their session is.
 */
@Entity('refresh_tokens')
@Index('refresh_tokens_session_id_idx', ['sessionId'])
export class RefreshToken {
  /** SHA-256 of the token, hex. Never the token. */
  @PrimaryColumn({ type: 'char', length: 64, primaryKeyConstraintName: 'refresh_tokens_pkey' })
  digest: string;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId: string;

  @ManyToOne(() => Session, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'refresh_tokens_session_id_fkey' })
  session?: Session;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', precision: 3, nullable: true })
  usedAt: Date | null;
}
