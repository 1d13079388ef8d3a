import { Injectable } from '@nestjs/common';
import { ApiError } from '@/common/errors';
import { isUuid } from '@/common/uuid';
import { InvalidationBus } from '@/common/invalidation/invalidation.bus';
import { LoadingCache } from '@/common/cache/loading-cache';
import { Account } from '@/users/account';
import { SessionVerifier } from '@/sessions/session.verifier';
import { UsersService } from '@/users/users.service';
import { LocalTokenPayload } from './local-token';
import { AuthMethod, Principal } from './principal';
import { Permission, effectivePermissions } from './permissions';

export interface Credential {
  method: AuthMethod;
  apiKeyId?: string;
  /** A local token's session: verified by the caller before the principal is used. */
  sessionId?: string;
  scopes?: readonly Permission[] | null;
}

/** Short enough that a missed invalidation heals quickly; the bus makes it exact. */
const ACCOUNT_TTL_MS = 10_000;

/**
 * Turns a verified credential into the principal, from the account's current role, status and
 * plan. Accounts are cached per instance so a warm request costs no query; every change to a
 * user or tenant is published on the InvalidationBus and drops the entry everywhere.
 */
@Injectable()
export class PrincipalResolver {
  private readonly accounts: LoadingCache<string, Account>;

  constructor(
    users: UsersService,
    private readonly sessions: SessionVerifier,
    bus: InvalidationBus,
  ) {
    this.accounts = new LoadingCache(
      async (userId) => (await users.findAccount(userId)) ?? undefined,
      { max: 50_000, ttlMs: ACCOUNT_TTL_MS },
    );
    bus.subscribe(({ target, id }) => {
      if (target === 'user') this.accounts.invalidate(id);
      // Tenant changes are rare (operator actions): a scan of the bounded cache is cheap enough.
      if (target === 'tenant') this.accounts.invalidateWhere((account) => account.tenantId === id);
      if (target === 'all') this.accounts.clear();
    });
  }

  async resolve(userId: string, credential: Credential): Promise<Principal> {
    const account = await this.accounts.get(userId);
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
      emailVerified: account.emailVerified,
      role: account.role,
      permissions: effectivePermissions(account.role, credential.scopes),
      plan: account.plan,
      limits: account.limits,
      authMethod: credential.method,
      apiKeyId: credential.apiKeyId,
      sessionId: credential.sessionId,
    };
  }

  /**
   * A signature-checked local token: its user must exist, be active and still be in `tid`, and
   * its session be live.
   */
  async resolveToken(payload: LocalTokenPayload): Promise<Principal> {
    // `exp` is checked by jsonwebtoken only when present; ours always carry one.
    if (!isUuid(payload.sub) || typeof payload.exp !== 'number') {
      throw new ApiError('INVALID_TOKEN');
    }
    // The account first: a deactivated user hears so, whatever became of the session.
    const principal = await this.resolve(payload.sub, { method: 'jwt', sessionId: payload.sid });
    if (principal.tenantId !== payload.tid) throw new ApiError('INVALID_TOKEN');
    const loading = this.sessions.verify(payload.sid, payload.sub);
    if (loading) await loading;
    return principal;
  }
}
