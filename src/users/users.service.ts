import { ConflictException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { isUniqueViolation } from '@/common/database-errors';
import { TenantsService } from '@/tenants/tenants.service';
import { Account } from './account';
import { Role } from './roles';
import { User } from './user.entity';

export interface NewUser {
  tenantId: string;
  email: string;
  name: string | null;
  role: Role;
  passwordHash: string | null;
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
      return await manager.save(manager.create(User, { ...user, status: 'active' }));
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) {
        throw new ConflictException('A user with this email already exists');
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

  /** The user and its tenant in one indexed query: what authentication needs. */
  async findAccount(userId: string): Promise<Account | null> {
    const user = await this.users.findOne({ where: { id: userId }, relations: { tenant: true } });
    if (!user?.tenant) return null;
    return {
      userId: user.id,
      tenantId: user.tenantId,
      email: user.email,
      name: user.name,
      role: user.role,
      status: user.status,
      tenantStatus: user.tenant.status,
      plan: user.tenant.plan,
      limits: this.tenants.limitsOf(user.tenant),
    };
  }
}
