import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { Mailer } from '@/mail/mailer.service';
import { LockoutStart } from '@/throttling/login-lockout/lockout-policy';
import { AccountMails } from './account-mails';

/** However many addresses an attacker tries from, an owner hears of it once an hour. */
const NOTICE_INTERVAL_MS = 60 * 60_000;

/**
 * Tells an account's owner when failed logins for their email lock an address out: once per
 * lockout, at most once an hour per account (and instance), so that the notice itself cannot
 * be turned into a flood.
 */
@Injectable()
export class LockoutNotices {
  private readonly recent = new LRUCache<string, true>({ max: 100_000, ttl: NOTICE_INTERVAL_MS });

  constructor(
    private readonly mails: AccountMails,
    private readonly mailer: Mailer,
  ) {}

  send(
    user: { id: string; email: string; name?: string | null },
    address: string,
    lockout: LockoutStart,
  ): void {
    if (this.recent.has(user.id)) return;
    this.recent.set(user.id, true);
    this.mailer.send(this.mails.loginLockout(user, address, lockout.lockedForSeconds));
  }
}
