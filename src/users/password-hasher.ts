import { Injectable, OnModuleInit } from '@nestjs/common';
import * as argon2 from 'argon2';
import { BoundedQueue, QueueFullError } from '@/common/bounded-queue';
import { ApiError } from '@/common/errors';
import { AppConfig } from '@/config/app-config';

/**
 * argon2id as OWASP recommends (m=19 MiB, t=2, p=1), not the library's defaults (RFC 9106's
 * m=64 MiB, t=3, p=4): several times less CPU per login, and one thread per hash, so that the
 * queue's concurrency is the number of CPUs it keeps busy. The measurements and the command that
 * made them: README, Password hashing. A change rehashes each user's password at their next login.
 */
export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** Made with other parameters, or another variant (needsRehash does not look at that). */
function isOutdated(hash: string): boolean {
  return !hash.startsWith('$argon2id$') || argon2.needsRehash(hash, ARGON2_OPTIONS);
}

const DECOY_PASSWORD = 'decoy password that matches nothing';

export interface PasswordCheck {
  matches: boolean;
  /** The password hashed with today's parameters, when it matched a hash made with others. */
  upgradedHash?: string;
}

/**
 * Every argon2 hash and verification goes through one bounded queue: PASSWORD_HASH_CONCURRENCY at
 * a time, PASSWORD_HASH_QUEUE_SIZE waiting. When it is full the answer is 503 at once: a burst of
 * logins would otherwise pile up work on the CPUs until every request, of any kind, waits.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  /** Compared against when there is no user, so that both answers take the same time. */
  private decoy: string;
  private readonly queue: BoundedQueue;

  constructor(config: AppConfig) {
    this.queue = new BoundedQueue(config.passwordHashConcurrency, config.passwordHashQueueSize);
  }

  async onModuleInit(): Promise<void> {
    this.decoy = await argon2.hash(DECOY_PASSWORD, ARGON2_OPTIONS);
  }

  hash(password: string): Promise<string> {
    return this.inTurn(() => argon2.hash(password, ARGON2_OPTIONS));
  }

  /** A missing hash is checked against the decoy: as slow, never a match. */
  verify(hash: string | null | undefined, password: string): Promise<boolean> {
    return this.inTurn(() => this.matches(hash, password));
  }

  /** verify(), for a login: with the password hashed anew when its hash is outdated. */
  verifyAndUpgrade(hash: string | null | undefined, password: string): Promise<PasswordCheck> {
    return this.inTurn(async () => {
      const matches = await this.matches(hash, password);
      if (!hash || !matches) return { matches: false };
      if (!isOutdated(hash)) return { matches: true };
      // In the same turn: a user who has just proven the password never queues twice for it.
      return { matches: true, upgradedHash: await argon2.hash(password, ARGON2_OPTIONS) };
    });
  }

  private async matches(hash: string | null | undefined, password: string): Promise<boolean> {
    const matches = await argon2.verify(hash ?? this.decoy, password).catch(() => false);
    return matches && !!hash;
  }

  private async inTurn<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.queue.run(work);
    } catch (error) {
      if (!(error instanceof QueueFullError)) throw error;
      throw new ApiError('UNAVAILABLE', 'Too many sign-ins at once: try again in a second', {
        headers: { 'retry-after': 1 },
      });
    }
  }
}
