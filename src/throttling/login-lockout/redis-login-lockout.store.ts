import { OnApplicationShutdown } from '@nestjs/common';
import { FailOpenRedis } from '../fail-open-redis';
import { AttemptVerdict, LOCKOUT_POLICY } from './lockout-policy';
import { LoginLockoutStore } from './login-lockout.store';
import { MemoryLoginLockoutStore } from './memory-login-lockout.store';

const KEY_PREFIX = 'latchkey:login:';

/**
 * lockout-policy.ts's attempt(), in Lua: one round trip per login, atomic, so that instances
 * together allow a pair exactly its attempts. The time comes from the app (ARGV[1]), so every
 * instance and the tests judge by the same clock; Redis's own clock only expires the hash.
 * Returns {allowed (0 or 1), retry-after or lock duration in ms, lockouts so far}.
 */
const ATTEMPT_SCRIPT = `
local now = tonumber(ARGV[1])
local maxFailures, windowMs = tonumber(ARGV[2]), tonumber(ARGV[3])
local firstLockMs, maxLockMs, memoryMs = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local r = redis.call('HMGET', KEYS[1], 'failures', 'windowEndsAt', 'lockouts', 'lockedUntil')
local failures, windowEndsAt = tonumber(r[1]) or 0, tonumber(r[2]) or 0
local lockouts, lockedUntil = tonumber(r[3]) or 0, tonumber(r[4]) or 0
local function expiresAt()
  if lockouts > 0 then return lockedUntil + memoryMs end
  return windowEndsAt
end
if now >= expiresAt() then
  failures, windowEndsAt, lockouts, lockedUntil = 0, 0, 0, 0
end
if lockedUntil > now then
  return {0, lockedUntil - now, lockouts}
end
if windowEndsAt <= now then
  failures = 0
  windowEndsAt = now + windowMs
end
failures = failures + 1
local lockMs = 0
if lockouts > 0 or failures >= maxFailures then
  lockMs = math.min(firstLockMs * 2 ^ math.min(lockouts, 30), maxLockMs)
  lockouts = lockouts + 1
  lockedUntil = now + lockMs
end
redis.call('HSET', KEYS[1], 'failures', failures, 'windowEndsAt', windowEndsAt,
  'lockouts', lockouts, 'lockedUntil', lockedUntil)
redis.call('PEXPIRE', KEYS[1], math.max(1, expiresAt() - now))
return {1, lockMs, lockouts}
`;

const POLICY_ARGS = [
  LOCKOUT_POLICY.maxFailures,
  LOCKOUT_POLICY.windowMs,
  LOCKOUT_POLICY.firstLockMs,
  LOCKOUT_POLICY.maxLockMs,
  LOCKOUT_POLICY.memoryMs,
];

/**
 * Lockout records shared by every instance through Redis: a hash of four numbers per pair,
 * expiring when stale (24 h after a last lockout at most). When Redis does not answer, each
 * instance keeps records in its own memory until it returns: an attacker then gets up to 5
 * attempts per instance before a lockout, and a lockout begun in Redis does not hold meanwhile.
 */
export class RedisLoginLockoutStore extends LoginLockoutStore implements OnApplicationShutdown {
  private readonly local = new MemoryLoginLockoutStore();
  private readonly attemptScript: (key: string, ...args: number[]) => Promise<number[]>;

  private constructor(private readonly redis: FailOpenRedis) {
    super();
    this.attemptScript = redis.script('loginAttempt', ATTEMPT_SCRIPT);
  }

  static async connect(url: string): Promise<RedisLoginLockoutStore> {
    const redis = await FailOpenRedis.connect(url, RedisLoginLockoutStore.name, {
      whileDown: 'failed logins are counted per instance until it returns',
      whenBack: 'failed logins are counted across instances',
    });
    return new RedisLoginLockoutStore(redis);
  }

  async attempt(key: string, now: number): Promise<AttemptVerdict> {
    const answer = await this.redis.run(() =>
      this.attemptScript(KEY_PREFIX + key, now, ...POLICY_ARGS),
    );
    if (!answer) return this.local.attemptNow(key, now);
    const [allowed, ms, lockouts] = answer;
    if (!allowed) return { allowed: false, retryAfterSeconds: Math.ceil(ms / 1000) };
    if (ms === 0) return { allowed: true };
    return {
      allowed: true,
      lockout: { lockedForSeconds: ms / 1000, firstLockout: lockouts === 1 },
    };
  }

  async clear(key: string): Promise<void> {
    await Promise.all([
      this.redis.run((client) => client.del(KEY_PREFIX + key)),
      this.local.clear(key),
    ]);
  }

  async onApplicationShutdown(): Promise<void> {
    this.local.onApplicationShutdown();
    await this.redis.quit();
  }
}
