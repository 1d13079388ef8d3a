const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * When logins for one (email, address) pair are refused. The Redis store runs the same rules in
 * Lua and takes these numbers from here, so the two cannot drift apart.
 */
export const LOCKOUT_POLICY = {
  /** Attempts that do not sign in, within the window, before the first lockout. */
  maxFailures: 5,
  windowMs: 15 * MINUTE,
  /** The first lockout; each next one is twice as long, up to maxLockMs. */
  firstLockMs: MINUTE,
  maxLockMs: HOUR,
  /** How long a pair's lockouts are remembered after the last one ends. */
  memoryMs: 24 * HOUR,
} as const;

/** What is kept per pair: four numbers, times in ms since the epoch. */
export interface LockoutRecord {
  /** Attempts that did not sign in, in the current window. */
  failures: number;
  windowEndsAt: number;
  /** Lockouts so far, until memoryMs pass after the last one ends. */
  lockouts: number;
  lockedUntil: number;
}

/** A lockout that an attempt started: what the account's owner may be told. */
export interface LockoutStart {
  lockedForSeconds: number;
  /** No other lockout of this pair in the last 24 h (memoryMs). */
  firstLockout: boolean;
}

export type AttemptVerdict =
  { allowed: false; retryAfterSeconds: number } | { allowed: true; lockout?: LockoutStart };

/** The delay of the lockout that follows `lockouts` others. */
export function lockDuration(lockouts: number): number {
  const { firstLockMs, maxLockMs } = LOCKOUT_POLICY;
  return Math.min(firstLockMs * 2 ** Math.min(lockouts, 30), maxLockMs);
}

/** When nothing in the record matters any more: it may be forgotten. */
export function expiresAt(record: LockoutRecord): number {
  return record.lockouts > 0 ? record.lockedUntil + LOCKOUT_POLICY.memoryMs : record.windowEndsAt;
}

/**
 * One login attempt for a pair whose record is `record` (undefined: none yet). Refused while
 * locked; otherwise counted as a failure right away, before the password is checked, so that
 * parallel guesses cannot all slip in before the first failure is written: a sign-in forgets the
 * record instead. Before any lockout, the attempt that makes `maxFailures` in the window locks;
 * once the pair has been locked, every attempt locks again (after the previous lock ends), each
 * time twice as long, until the lockouts are forgotten.
 */
export function attempt(
  record: LockoutRecord | undefined,
  now: number,
): { record: LockoutRecord; verdict: AttemptVerdict } {
  const current =
    record && now < expiresAt(record)
      ? { ...record }
      : { failures: 0, windowEndsAt: 0, lockouts: 0, lockedUntil: 0 };
  if (current.lockedUntil > now) {
    const retryAfterSeconds = Math.ceil((current.lockedUntil - now) / SECOND);
    return { record: current, verdict: { allowed: false, retryAfterSeconds } };
  }
  if (current.windowEndsAt <= now) {
    current.failures = 0;
    current.windowEndsAt = now + LOCKOUT_POLICY.windowMs;
  }
  current.failures += 1;
  if (current.lockouts === 0 && current.failures < LOCKOUT_POLICY.maxFailures) {
    return { record: current, verdict: { allowed: true } };
  }
  const lockMs = lockDuration(current.lockouts);
  current.lockouts += 1;
  current.lockedUntil = now + lockMs;
  const lockout = { lockedForSeconds: lockMs / SECOND, firstLockout: current.lockouts === 1 };
  return { record: current, verdict: { allowed: true, lockout } };
}
