import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { Invitations } from '@/accounts/invitations.service';
import { AuditService } from '@/audit/audit.service';
import { Mailer } from '@/mail/mailer.service';
import { PasswordHasher } from './password-hasher';
import { ROLE_PERMISSIONS, holdsAll } from '@/auth/permissions';
import { Principal } from '@/auth/principal';
import { ApiError } from '@/common/errors';
import { InvalidationBus } from '@/common/invalidation/invalidation.bus';
import { transactionThenPublish } from '@/common/invalidation/transaction-then-publish';
import { SessionsService } from '@/sessions/sessions.service';
import { PageQueryDto, paginate } from '@/common/pagination';
import { Role } from './roles';
import { CreateUserDto } from './dto/create-user.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { UserDto, UserPageDto, toUserDto } from './dto/user.dto';
import { User } from './user.entity';
import { UsersService } from './users.service';

const NOT_FOUND = 'User not found';

/** What a tenant's admins do to its users. Changes reach every cache before the call returns. */
@Injectable()
export class UserAdministration {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly accounts: UsersService,
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly bus: InvalidationBus,
    private readonly sessions: SessionsService,
    private readonly invitations: Invitations,
    private readonly mailer: Mailer,
  ) {}

  async list(tenantId: string, page: PageQueryDto): Promise<UserPageDto> {
    const query = this.users
      .createQueryBuilder('user')
      .where('user.tenantId = :tenantId', { tenantId });
    return paginate(query, page, toUserDto);
  }

  async create(principal: Principal, dto: CreateUserDto): Promise<UserDto> {
    this.assertMayGrant(principal, dto.role);
    const passwordHash = dto.password ? await this.hasher.hash(dto.password) : null;
    const { user, invitation } = await this.dataSource.transaction(async (manager) => {
      const user = await this.accounts.create(manager, {
        tenantId: principal.tenantId,
        email: dto.email,
        name: dto.name ?? null,
        role: dto.role,
        passwordHash,
      });
      await this.record(manager, principal, 'user.created', user, { role: user.role });
      // Without a password the person joins by accepting the mailed invitation.
      const invitation = passwordHash
        ? undefined
        : await this.invitations.issue(manager, user, principal);
      return { user, invitation };
    });
    if (invitation) this.mailer.send(invitation);
    return toUserDto(user);
  }

  async update(principal: Principal, id: string, dto: UpdateUserDto): Promise<UserDto> {
    if (dto.role) this.assertMayGrant(principal, dto.role);
    const user = await transactionThenPublish(
      this.dataSource,
      this.bus,
      async (manager, markStale) => {
        const admins = await this.lockActiveAdmins(manager, principal.tenantId);
        const user = await manager.findOne(User, {
          where: { tenantId: principal.tenantId, id },
          lock: { mode: 'pessimistic_write' },
        });
        if (!user) throw new NotFoundException(NOT_FOUND);
        const role = dto.role ?? user.role;
        const status = dto.status ?? user.status;
        const staysAdmin = role === 'admin' && status === 'active';
        if (admins.includes(user.id) && !staysAdmin && admins.length === 1) {
          throw new ConflictException('The tenant must keep at least one active admin');
        }
        if (role !== user.role) {
          await this.record(manager, principal, 'user.role_changed', user, {
            from: user.role,
            to: role,
          });
        }
        if (status !== user.status) {
          await this.record(manager, principal, 'user.status_changed', user, {
            from: user.status,
            to: status,
          });
          // Coming back later does not bring the old sessions back.
          if (status === 'deactivated') {
            await this.sessions.endAll(manager, user.id, 'deactivated', markStale);
          }
        }
        user.role = role;
        user.status = status;
        markStale({ target: 'user', id: user.id });
        return manager.save(user);
      },
    );
    return toUserDto(user);
  }

  /** A scoped key may not hand out a role with more power than the key itself has. */
  private assertMayGrant(principal: Principal, role: Role): void {
    if (!holdsAll(principal.permissions, ROLE_PERMISSIONS[role])) {
      throw new ApiError('FORBIDDEN');
    }
  }

  /** Serialises admin changes within a tenant, so two demotions cannot remove the last admin. */
  private async lockActiveAdmins(manager: EntityManager, tenantId: string): Promise<string[]> {
    const rows = await manager.find(User, {
      select: { id: true },
      where: { tenantId, role: 'admin', status: 'active' },
      lock: { mode: 'pessimistic_write' },
    });
    return rows.map((row) => row.id);
  }

  private record(
    manager: EntityManager,
    principal: Principal,
    action: string,
    user: User,
    details: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record(manager, {
      tenantId: principal.tenantId,
      action,
      actor: principal,
      targetType: 'user',
      targetId: user.id,
      details: { email: user.email, ...details },
    });
  }
}
