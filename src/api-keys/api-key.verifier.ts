import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { Repository } from 'typeorm';
import { Permission } from '@/auth/permissions';
import { ApiError } from '@/common/errors';
import { InvalidationBus } from '@/common/invalidation/invalidation.bus';
import { SingleFlight } from '@/common/single-flight';
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
  private readonly known = new LRUCache<string, KnownKey>({ max: 100_000, ttl: KNOWN_TTL_MS });
  private readonly unknown = new LRUCache<string, true>({ max: 100_000, ttl: UNKNOWN_TTL_MS });
  private readonly loads = new SingleFlight<string, KnownKey | undefined>();
  /** Bumped by every invalidation: a read that raced one is used once but not cached. */
  private generation = 0;

  constructor(
    config: AppConfig,
    private readonly digester: ApiKeyDigester,
    private readonly usage: KeyUsageRecorder,
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    bus: InvalidationBus,
  ) {
    this.format = new ApiKeyFormat(config.apiKeyPrefix);
    bus.subscribe(({ target, id }) => {
      this.generation++;
      if (target === 'api-key') {
        this.known.delete(id);
        this.unknown.delete(id);
        this.loads.forget(id);
      } else if (target === 'all') {
        this.known.clear();
        this.unknown.clear();
        this.loads.clear();
      }
    });
  }

  async verify(token: string): Promise<VerifiedKey> {
    if (!this.format.parse(token)) throw new ApiError('INVALID_API_KEY');
    const key = await this.lookup(this.digester.digest(token));
    if (!key || key.revoked) throw new ApiError('INVALID_API_KEY');
    if (key.expiresAt !== null && key.expiresAt <= Date.now()) {
      throw new ApiError('API_KEY_EXPIRED');
    }
    this.usage.record(key.id);
    return key;
  }

  private lookup(digest: string): Promise<KnownKey | undefined> | KnownKey | undefined {
    const cached = this.known.get(digest);
    if (cached) return cached;
    if (this.unknown.has(digest)) return undefined;
    return this.loads.run(digest, () => this.load(digest));
  }

  private async load(digest: string): Promise<KnownKey | undefined> {
    const generation = this.generation;
    const row = await this.keys.findOne({
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
    const fresh = generation === this.generation;
    if (!row) {
      if (fresh) this.unknown.set(digest, true);
      return undefined;
    }
    const key: KnownKey = {
      id: row.id,
      tenantId: row.tenantId,
      userId: row.userId,
      scopes: row.scopes,
      expiresAt: row.expiresAt?.getTime() ?? null,
      revoked: row.revokedAt !== null,
    };
    if (fresh) this.known.set(digest, key);
    return key;
  }
}
