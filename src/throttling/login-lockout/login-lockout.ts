import { Injectable } from '@nestjs/common';
import { createHmac, hkdfSync } from 'node:crypto';
import { ApiError } from '@/common/errors';
import { AppConfig } from '@/config/app-config';
import { clientNetwork } from '../client-address';
import { LockoutStart } from './lockout-policy';
import { LoginLockoutStore } from './login-lockout.store';

/** A login attempt that was let through: it counts as failed unless succeeded() is called. */
export interface LoginAttempt {
  readonly key: string;
  /** The lockout this attempt started, in effect unless the password turns out right. */
  readonly lockout?: LockoutStart;
}

/**
 * Failed logins per (email, client address) pair, as Auth0's brute-force protection counts
 * them: an attacker elsewhere cannot lock the owner out. The pair is keyed by a keyed digest of
 * the email (a copy of Redis cannot even confirm a guessed email) and the address as the rate
 * limiter counts it (IPv6 by /64). Rules: lockout-policy.ts.
 */
@Injectable()
export class LoginLockout {
  private readonly emailKey: Buffer;

  constructor(
    private readonly store: LoginLockoutStore,
    config: AppConfig,
  ) {
    // Every instance shares JWT_SECRET; a key derived from it serves no other purpose.
    this.emailKey = Buffer.from(hkdfSync('sha256', config.jwtSecret, '', 'login-lockout', 32));
  }

  /** Refuses (429 LOGIN_LOCKED) while the pair is locked, before any password is checked. */
  async attempt(email: string, address: string): Promise<LoginAttempt> {
    const digest = createHmac('sha256', this.emailKey).update(email.toLowerCase()).digest();
    const key = `${digest.toString('base64url')}:${clientNetwork(address)}`;
    const verdict = await this.store.attempt(key, Date.now());
    if (!verdict.allowed) {
      const seconds = verdict.retryAfterSeconds;
      throw new ApiError(
        'LOGIN_LOCKED',
        `Too many failed logins for this email from this address: try again in ${seconds} seconds`,
        { headers: { 'retry-after': seconds } },
      );
    }
    return { key, lockout: verdict.lockout };
  }

  succeeded(attempt: LoginAttempt): Promise<void> {
    return this.store.clear(attempt.key);
  }
}
