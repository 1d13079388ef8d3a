import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Permission } from '@/auth/permissions';
import { ApiError } from '@/common/errors';
import { InvalidationBus } from '@/common/invalidation/invalidation.bus';
import { LoadingCache } from '@/common/cache/loading-cache';
import { AppConfig } from '@/config/app-config';
import { ApiKeyDigester } from './api-key.digester';
import { ApiKey } from './api-key.entity';
import { ApiKeyFormat } from './api-key-format';
import { KeyUsageRecorder } from './key-usage.recorder';

export interface VerifiedKey {
  id: string;
  tenantId: string;
  userId: string;
  scopes: Permission[] | null;
}

interface KnownKey extends VerifiedKey {
  expiresAt: number | null;
  revoked: boolean;
}

/** A backstop only: revocation and rotation drop entries at once through the bus. */
const KNOWN_TTL_MS = 10_000;
/** Unknown digests are remembered briefly so a flood of made-up keys stays off the database. */
const UNKNOWN_TTL_MS = 5_000;

/**
 * The request path for API keys: shape and checksum (no I/O), then the digest in a bounded
 * in-process cache, then, on a miss only, one indexed read. Expiry is checked on every request.
 */
@Injectable()
export class ApiKeyVerifier {
  private readonly format: ApiKeyFormat;
  /** By digest: a key's row as the request path needs it. */
  private readonly keys: LoadingCache<string, KnownKey>;

  constructor(
    config: AppConfig,
    private readonly digester: ApiKeyDigester,
    private readonly usage: KeyUsageRecorder,
    @InjectRepository(ApiKey) repository: Repository<ApiKey>,
    bus: InvalidationBus,
  ) {
    this.format = new ApiKeyFormat(config.apiKeyPrefix);
    this.keys = new LoadingCache((digest) => load(repository, digest), {
      max: 100_000,
      ttlMs: KNOWN_TTL_MS,
      missTtlMs: UNKNOWN_TTL_MS,
    });
    bus.subscribe(({ target, id }) => {
      if (target === 'api-key') this.keys.invalidate(id);
      else if (target === 'all') this.keys.clear();
    });
  }

  async verify(token: string): Promise<VerifiedKey> {
    if (!this.format.parse(token)) throw new ApiError('INVALID_API_KEY');
    const key = await this.keys.get(this.digester.digest(token));
    if (!key || key.revoked) throw new ApiError('INVALID_API_KEY');
    if (key.expiresAt !== null && key.expiresAt <= Date.now()) {
      throw new ApiError('API_KEY_EXPIRED');
    }
    this.usage.record(key.id);
    return key;
  }
}

async function load(keys: Repository<ApiKey>, digest: string): Promise<KnownKey | undefined> {
  const row = await keys.findOne({
    where: { digest },
    select: {
      id: true,
      tenantId: true,
      userId: true,
      scopes: true,
      expiresAt: true,
      revokedAt: true,
    },
  });
  if (!row) return undefined;
  return {
    id: row.id,
    tenantId: row.tenantId,
    userId: row.userId,
    scopes: row.scopes,
    expiresAt: row.expiresAt?.getTime() ?? null,
    revoked: row.revokedAt !== null,
  };
}
