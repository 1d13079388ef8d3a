import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { ApiError } from '@/common/errors';
import { InvalidationBus } from '@/common/invalidation/invalidation.bus';
import { SingleFlight } from '@/common/single-flight';
import { Account } from '@/users/account';
import { UsersService } from '@/users/users.service';
import { LocalTokenPayload } from './local-token';
import { AuthMethod, Principal } from './principal';
import { Permission, effectivePermissions } from './permissions';

export interface Credential {
  method: AuthMethod;
  apiKeyId?: string;
  scopes?: readonly Permission[] | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Short enough that a missed invalidation heals quickly; the bus makes it exact. */
const ACCOUNT_TTL_MS = 10_000;

/**
 * Turns a verified credential into the principal, from the account's current role, status and
 * plan. Accounts are cached per instance so a warm request costs no query; every change to a
 * user or tenant is published on the InvalidationBus and drops the entry everywhere.
 */
@Injectable()
export class PrincipalResolver {
  private readonly accounts = new LRUCache<string, Account>({ max: 50_000, ttl: ACCOUNT_TTL_MS });
  private readonly loads = new SingleFlight<string, Account | null>();
  /** Bumped by every invalidation: a read that raced one is used once but not cached. */
  private generation = 0;

  constructor(
    private readonly users: UsersService,
    bus: InvalidationBus,
  ) {
    bus.subscribe(({ target, id }) => {
      this.generation++;
      // A load in flight may predate the change: later requests must not join it.
      this.loads.clear();
      if (target === 'user') this.accounts.delete(id);
      if (target === 'tenant') this.forgetTenant(id);
      if (target === 'all') this.accounts.clear();
    });
  }

  async resolve(userId: string, credential: Credential): Promise<Principal> {
    const account = await this.account(userId);
    if (!account)
      throw new ApiError(credential.method === 'api-key' ? 'INVALID_API_KEY' : 'INVALID_TOKEN');
    if (account.status !== 'active' || account.tenantStatus !== 'active') {
      throw new ApiError('ACCOUNT_INACTIVE');
    }
    return {
      userId: account.userId,
      tenantId: account.tenantId,
      email: account.email,
      name: account.name,
      role: account.role,
      permissions: effectivePermissions(account.role, credential.scopes),
      plan: account.plan,
      limits: account.limits,
      authMethod: credential.method,
      apiKeyId: credential.apiKeyId,
    };
  }

  /** A signature-checked local token: its user must exist, be active and still be in `tid`. */
  async resolveToken(payload: LocalTokenPayload): Promise<Principal> {
    // `exp` is checked by jsonwebtoken only when present; ours always carry one.
    if (
      typeof payload.sub !== 'string' ||
      !UUID.test(payload.sub) ||
      typeof payload.exp !== 'number'
    ) {
      throw new ApiError('INVALID_TOKEN');
    }
    const principal = await this.resolve(payload.sub, { method: 'jwt' });
    if (principal.tenantId !== payload.tid) {
      throw new ApiError('INVALID_TOKEN');
    }
    return principal;
  }

  private async account(userId: string): Promise<Account | undefined> {
    const cached = this.accounts.get(userId);
    if (cached) return cached;
    const generation = this.generation;
    const account = await this.loads.run(userId, () => this.users.findAccount(userId));
    if (!account) return undefined;
    if (generation === this.generation) this.accounts.set(userId, account);
    return account;
  }

  /** Tenant changes are rare (operator actions): a scan of the bounded cache is cheap enough. */
  private forgetTenant(tenantId: string): void {
    for (const [userId, account] of this.accounts.entries()) {
      if (account.tenantId === tenantId) this.accounts.delete(userId);
    }
  }
}
