import { Injectable } from '@nestjs/common';
import { ApiError } from '@/common/errors';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { isUniqueViolation } from '@/common/database-errors';
import { TenantsService } from '@/tenants/tenants.service';
import { Account } from './account';
import { Role } from './roles';
import { User } from './user.entity';

/** How a mailed link proved the mailbox (see confirmMailbox). */
export type MailboxProof =
  | { by: 'verification' }
  | { by: 'invitation'; passwordHash: string | null }
  | { by: 'reset'; passwordHash: string };

export interface NewUser {
  tenantId: string;
  email: string;
  name: string | null;
  role: Role;
  passwordHash: string | null;
  /** The admin adding the user; undefined when they sign up. */
  invitedBy?: string;
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly tenants: TenantsService,
  ) {}

  /** `manager` joins the caller's transaction. Emails are unique across the service: 409. */
  async create(manager: EntityManager, user: NewUser): Promise<User> {
    try {
      return await manager.save(
        manager.create(User, { ...user, invitedBy: user.invitedBy ?? null, status: 'active' }),
      );
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) {
        throw new ApiError('EMAIL_TAKEN');
      }
      throw error;
    }
  }

  /**
   * Locks the user's row for the rest of the caller's transaction: per-user limits (active API
   * keys) are checked and changed one transaction at a time.
   */
  async lockForUpdate(manager: EntityManager, tenantId: string, userId: string): Promise<void> {
    await manager
      .createQueryBuilder(User, 'user')
      .select('user.id')
      .where('user.tenantId = :tenantId AND user.id = :userId', { tenantId, userId })
      .setLock('pessimistic_write')
      .getOne();
  }

  /** For login only: the one read that includes the password hash. */
  findByEmailWithPassword(email: string): Promise<User | null> {
    return this.users
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.email = :email', { email })
      .getOne();
  }

  /**
   * Locks the user's row for the rest of the caller's transaction and reads what a sign-in
   * rests on: the password hash and the user's and tenant's status. A password reset or change
   * or a deactivation takes the same lock, so a sign-in sees it or comes before it.
   */
  async lockForSignIn(
    manager: EntityManager,
    userId: string,
  ): Promise<{ passwordHash: string | null; active: boolean } | undefined> {
    const rows = await manager.query<
      { password_hash: string | null; status: string; tenant_status: string }[]
    >(
      `SELECT u.password_hash, u.status, t.status AS tenant_status
         FROM users u JOIN tenants t ON t.id = u.tenant_id
        WHERE u.id = $1
          FOR UPDATE OF u`,
      [userId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      passwordHash: row.password_hash,
      active: row.status === 'active' && row.tenant_status === 'active',
    };
  }

  /** For a password change: the caller's password hash. */
  async findPasswordHash(userId: string): Promise<string | null> {
    const user = await this.users
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.id = :userId', { userId })
      .getOne();
    return user?.passwordHash ?? null;
  }

  /**
   * What a mailed link proves: whoever holds it controls `email`. Marks that email verified,
   * provided the user still has it and is active, and its tenant too; null when not.
   * - A verification link keeps the password, and is only for people who signed up themselves:
   *   someone an admin added proves the mailbox by accepting the invitation.
   * - Accepting an invitation makes the password the invitee's own (or none): whatever an admin
   *   set before is gone.
   * - A reset sets the new password.
   */
  async confirmMailbox(
    manager: EntityManager,
    userId: string,
    email: string,
    proof: MailboxProof,
  ): Promise<Pick<User, 'id' | 'tenantId'> | null> {
    const query = manager
      .createQueryBuilder()
      .update(User)
      .set({
        emailVerifiedAt: () => 'COALESCE(email_verified_at, now())',
        ...(proof.by === 'verification' ? {} : { passwordHash: proof.passwordHash }),
      })
      .where('id = :userId AND email = :email AND status = :active', {
        userId,
        email,
        active: 'active',
      })
      .andWhere(`tenant_id IN (SELECT id FROM tenants WHERE status = 'active')`);
    if (proof.by === 'verification') query.andWhere('invited_by IS NULL');
    const result = await query.returning('id, tenant_id').execute();
    const row = (result.raw as { id: string; tenant_id: string }[])[0];
    return row ? { id: row.id, tenantId: row.tenant_id } : null;
  }

  async setPasswordHash(
    manager: EntityManager,
    userId: string,
    passwordHash: string,
  ): Promise<void> {
    await manager.update(User, { id: userId }, { passwordHash });
  }

  /** The user an external identity (an OIDC issuer's `sub`) is linked to. */
  async findIdByExternalIdentity(issuer: string, subject: string): Promise<string | null> {
    const user = await this.users.findOne({
      select: { id: true },
      where: { externalIssuer: issuer, externalSubject: subject },
    });
    return user?.id ?? null;
  }

  /**
   * Links an external identity to the user with this email, provided that user has none yet
   * and that Latchkey itself has verified the email: otherwise whoever signed up with someone
   * else's address would receive that person's identity (and them in the signer's tenant). One
   * statement, so two first sign-ins at once cannot both link. null: nobody to link.
   */
  async linkExternalIdentity(
    manager: EntityManager,
    email: string,
    issuer: string,
    subject: string,
  ): Promise<Pick<User, 'id' | 'tenantId'> | null> {
    try {
      const result = await manager
        .createQueryBuilder()
        .update(User)
        .set({ externalIssuer: issuer, externalSubject: subject })
        .where('email = :email AND external_issuer IS NULL AND email_verified_at IS NOT NULL', {
          email,
        })
        .returning('id, tenant_id')
        .execute();
      const row = (result.raw as { id: string; tenant_id: string }[])[0];
      return row ? { id: row.id, tenantId: row.tenant_id } : null;
    } catch (error) {
      // That identity was linked to someone else meanwhile.
      if (isUniqueViolation(error, 'users_external_identity_key')) return null;
      throw error;
    }
  }

  /**
   * The user and its tenant in one indexed query: what authentication needs. `manager` reads
   * inside the caller's transaction (the embedded database has a single connection).
   */
  async findAccount(userId: string, manager?: EntityManager): Promise<Account | null> {
    return this.accountWhere({ id: userId }, manager);
  }

  /** The same, by email (stored lower-cased). */
  findAccountByEmail(email: string): Promise<Account | null> {
    return this.accountWhere({ email });
  }

  private async accountWhere(
    where: { id: string } | { email: string },
    manager?: EntityManager,
  ): Promise<Account | null> {
    const user = await (manager?.getRepository(User) ?? this.users).findOne({
      where,
      relations: { tenant: true },
    });
    if (!user?.tenant) return null;
    return {
      userId: user.id,
      tenantId: user.tenantId,
      email: user.email,
      name: user.name,
      emailVerified: user.emailVerifiedAt !== null,
      role: user.role,
      status: user.status,
      tenantStatus: user.tenant.status,
      plan: user.tenant.plan,
      limits: this.tenants.limitsOf(user.tenant),
    };
  }
}
