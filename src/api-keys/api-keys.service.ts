import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AuditService } from '@/audit/audit.service';
import { Permission, effectivePermissions, holdsAll } from '@/auth/permissions';
import { Principal } from '@/auth/principal';
import { ApiError } from '@/common/errors';
import { InvalidationBus } from '@/common/invalidation/invalidation.bus';
import { PageQueryDto, paginate } from '@/common/pagination';
import { AppConfig } from '@/config/app-config';
import { UsersService } from '@/users/users.service';
import { ApiKeyDigester } from './api-key.digester';
import { ApiKey, statusOf } from './api-key.entity';
import { ApiKeyFormat } from './api-key-format';
import { ApiKeyDto, CreatedApiKeyDto, TenantApiKeyPageDto } from './dto/api-key.dto';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { KeyUsageRecorder } from './key-usage.recorder';

const NOT_FOUND = 'API key not found';

/** Issue, list, revoke and rotate keys. Every query is scoped to the caller's tenant first. */
@Injectable()
export class ApiKeysService {
  private readonly format: ApiKeyFormat;

  constructor(
    config: AppConfig,
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    private readonly dataSource: DataSource,
    private readonly digester: ApiKeyDigester,
    private readonly usage: KeyUsageRecorder,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly bus: InvalidationBus,
  ) {
    this.format = new ApiKeyFormat(config.apiKeyPrefix);
  }

  /** The full key is in this answer and nowhere else, ever. */
  async create(principal: Principal, dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const scopes = this.grantableScopes(principal, dto.scopes);
    if (dto.expiresAt && dto.expiresAt.getTime() <= Date.now()) {
      throw new BadRequestException('expiresAt must be in the future');
    }
    const key = this.format.generate(dto.environment ?? 'live');
    const saved = await this.dataSource.transaction(async (manager) => {
      await this.users.lockForUpdate(manager, principal.tenantId, principal.userId);
      await this.assertBelowKeyLimit(manager, principal);
      const row = await manager.save(
        manager.create(ApiKey, {
          tenantId: principal.tenantId,
          userId: principal.userId,
          name: dto.name,
          environment: dto.environment ?? 'live',
          digest: this.digester.digest(key),
          hint: this.format.hint(key),
          scopes,
          expiresAt: dto.expiresAt ?? null,
          revokedAt: null,
          lastUsedAt: null,
          replacedById: null,
        }),
      );
      await this.recordEvent(manager, principal, 'api_key.created', row);
      return row;
    });
    return { ...this.toDto(saved), key };
  }

  async listOwn(principal: Principal): Promise<ApiKeyDto[]> {
    const rows = await this.keys.find({
      where: { tenantId: principal.tenantId, userId: principal.userId },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
    return rows.map((row) => this.toDto(row));
  }

  async listTenant(principal: Principal, page: PageQueryDto): Promise<TenantApiKeyPageDto> {
    const query = this.keys
      .createQueryBuilder('key')
      .innerJoin('key.user', 'owner')
      .addSelect(['owner.id', 'owner.email'])
      .where('key.tenantId = :tenantId', { tenantId: principal.tenantId });
    return paginate(query, page, (row) => ({
      ...this.toDto(row),
      owner: { id: row.userId, email: row.user?.email ?? '' },
    }));
  }

  async get(principal: Principal, id: string): Promise<ApiKeyDto> {
    return this.toDto(await this.findVisible(this.keys.manager, principal, id));
  }

  /** Irreversible. Every instance refuses the key from the moment this returns. */
  async revoke(principal: Principal, id: string): Promise<ApiKeyDto> {
    const row = await this.dataSource.transaction(async (manager) => {
      const row = await this.findVisible(manager, principal, id, { lock: true, digest: true });
      if (row.revokedAt) return row;
      row.revokedAt = new Date();
      await manager.update(
        ApiKey,
        { id: row.id, tenantId: principal.tenantId },
        { revokedAt: row.revokedAt },
      );
      await this.recordEvent(manager, principal, 'api_key.revoked', row, { ownerId: row.userId });
      return row;
    });
    // Also when it was already revoked: a retry after an answer lost in transit still tells
    // every instance (publishing twice is harmless).
    await this.bus.publish({ target: 'api-key', id: row.digest! });
    return this.toDto(row);
  }

  /**
   * A new key with the same name, environment, scopes and expiry, shown once. The old key stops
   * after the grace period. Of two rotations of one key, exactly one wins; the other gets 409.
   */
  async rotate(principal: Principal, id: string, graceSeconds: number): Promise<CreatedApiKeyDto> {
    const { old, replacement, key } = await this.dataSource.transaction(async (manager) => {
      const old = await this.findVisible(manager, principal, id, {
        lock: true,
        digest: true,
        own: true,
      });
      if (statusOf(old) !== 'active' || old.replacedById) {
        throw new ConflictException('Only an active key that has not been rotated can be rotated');
      }
      // A narrow key must not mint a broader one by rotating another key of its owner.
      if (!holdsAll(principal.permissions, effectivePermissions(principal.role, old.scopes))) {
        throw new ApiError('FORBIDDEN');
      }
      // The old key stays active through the grace period: it counts, the new one must fit.
      await this.users.lockForUpdate(manager, principal.tenantId, principal.userId);
      await this.assertBelowKeyLimit(manager, principal, old.id);
      const key = this.format.generate(old.environment);
      const replacement = await manager.save(
        manager.create(ApiKey, {
          id: randomUUID(),
          tenantId: old.tenantId,
          userId: old.userId,
          name: old.name,
          environment: old.environment,
          digest: this.digester.digest(key),
          hint: this.format.hint(key),
          scopes: old.scopes,
          expiresAt: old.expiresAt,
          revokedAt: null,
          lastUsedAt: null,
          replacedById: null,
        }),
      );
      const graceEnd = new Date(Date.now() + graceSeconds * 1000);
      old.expiresAt = old.expiresAt && old.expiresAt < graceEnd ? old.expiresAt : graceEnd;
      old.replacedById = replacement.id;
      await manager.update(
        ApiKey,
        { id: old.id, tenantId: principal.tenantId },
        { expiresAt: old.expiresAt, replacedById: old.replacedById },
      );
      await this.recordEvent(manager, principal, 'api_key.rotated', old, {
        newKeyId: replacement.id,
        newHint: replacement.hint,
        gracePeriodSeconds: graceSeconds,
      });
      return { old, replacement, key };
    });
    await this.bus.publish({ target: 'api-key', id: old.digest! });
    return { ...this.toDto(replacement), key };
  }

  /**
   * A key can only hand on what it holds, and no more later: a key creating a key without
   * naming scopes gives it its own, fixed, even if the owner's role grows afterwards.
   */
  private grantableScopes(principal: Principal, requested?: Permission[]): Permission[] | null {
    const held = principal.permissions;
    if (!requested) return principal.authMethod === 'api-key' ? [...held] : null;
    const beyond = requested.filter((scope) => !held.has(scope));
    if (beyond.length > 0) {
      throw new BadRequestException(`scopes beyond your own permissions: ${beyond.join(', ')}`);
    }
    return requested;
  }

  /** `replacing`: the key a rotation replaces, which does not count against its successor. */
  private async assertBelowKeyLimit(
    manager: EntityManager,
    principal: Principal,
    replacing?: string,
  ): Promise<void> {
    const max = principal.limits.maxActiveKeysPerUser;
    if (max === null) return;
    const query = manager
      .createQueryBuilder(ApiKey, 'key')
      .where('key.tenantId = :tenantId AND key.userId = :userId', principal)
      // Not PostgreSQL's now(): that is when the transaction began, before it waited for the
      // owner's lock, and a rotation it waited for may have expired its old key since. And this
      // process's clock is the one that set expires_at and that statusOf() reads.
      .andWhere('key.revokedAt IS NULL AND (key.expiresAt IS NULL OR key.expiresAt > :now)', {
        now: new Date(),
      });
    if (replacing) query.andWhere('key.id <> :replacing', { replacing });
    const active = await query.getCount();
    if (active >= max) {
      throw new ApiError(
        'KEY_LIMIT_REACHED',
        `API key limit reached: the ${principal.plan} plan allows ${max} active keys per user. ` +
          'Revoke a key to create another.',
      );
    }
  }

  /** Own keys for everyone; any key of the tenant for holders of `api-keys:manage`. 404 otherwise. */
  private async findVisible(
    manager: EntityManager,
    principal: Principal,
    id: string,
    options: { lock?: boolean; digest?: boolean; own?: boolean } = {},
  ): Promise<ApiKey> {
    const query = manager
      .createQueryBuilder(ApiKey, 'key')
      .where('key.tenantId = :tenantId AND key.id = :id', { tenantId: principal.tenantId, id });
    if (options.own || !principal.permissions.has('api-keys:manage')) {
      query.andWhere('key.userId = :userId', { userId: principal.userId });
    }
    if (options.digest) query.addSelect('key.digest');
    if (options.lock) query.setLock('pessimistic_write');
    const row = await query.getOne();
    if (!row) throw new NotFoundException(NOT_FOUND);
    return row;
  }

  private recordEvent(
    manager: EntityManager,
    principal: Principal,
    action: string,
    key: ApiKey,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    return this.audit.record(manager, {
      tenantId: principal.tenantId,
      action,
      actor: principal,
      targetType: 'api_key',
      targetId: key.id,
      details: { name: key.name, hint: key.hint, ...details },
    });
  }

  private toDto(row: ApiKey): ApiKeyDto {
    return {
      id: row.id,
      name: row.name,
      hint: row.hint,
      environment: row.environment,
      scopes: row.scopes,
      createdAt: row.createdAt,
      lastUsedAt: this.usage.lastUsed(row.id, row.lastUsedAt),
      expiresAt: row.expiresAt,
      status: statusOf(row),
      revokedAt: row.revokedAt,
    };
  }
}
