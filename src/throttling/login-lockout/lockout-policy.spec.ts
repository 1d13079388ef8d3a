import {
  AttemptVerdict,
  LOCKOUT_POLICY,
  LockoutRecord,
  attempt,
  expiresAt,
  lockDuration,
} from './lockout-policy';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** One pair's record, attempted at a clock the test moves. */
function pair(start = 1_700_000_000_000) {
  let record: LockoutRecord | undefined;
  let now = start;
  return {
    attempt: (): AttemptVerdict => {
      const next = attempt(record, now);
      record = next.record;
      return next.verdict;
    },
    signIn: () => (record = undefined),
    later: (ms: number) => (now += ms),
    get record() {
      return record;
    },
  };
}

const allowed = { allowed: true };
const locks = (seconds: number, firstLockout = false) => ({
  allowed: true,
  lockout: { lockedForSeconds: seconds, firstLockout },
});
const refused = (retryAfterSeconds: number) => ({ allowed: false, retryAfterSeconds });

describe('the lockout policy', () => {
  it('lets 5 attempts through in the window, the 5th starting a first lockout of 60 s', () => {
    const p = pair();
    for (let n = 1; n < 5; n++) {
      expect(p.attempt()).toEqual(allowed);
      p.later(MINUTE);
    }
    expect(p.attempt()).toEqual(locks(60, true));
    expect(p.attempt()).toEqual(refused(60));
    p.later(59_001);
    expect(p.attempt()).toEqual(refused(1));
  });

  it('doubles the delay for each attempt after a lock ends, up to an hour', () => {
    const p = pair();
    for (let n = 1; n < 5; n++) p.attempt();
    expect(p.attempt()).toEqual(locks(60, true));
    for (const seconds of [120, 240, 480, 960, 1920, 3600, 3600]) {
      p.later(lockDuration(p.record!.lockouts - 1));
      expect(p.attempt()).toEqual(locks(seconds));
      expect(p.attempt()).toEqual(refused(seconds));
    }
  });

  it('locks again at the first attempt after a lock, even once the window is over', () => {
    const p = pair();
    for (let n = 1; n <= 5; n++) p.attempt();
    p.later(3 * HOUR);
    expect(p.attempt()).toEqual(locks(120));
  });

  it('forgets the lockouts 24 h after the last one ends, and says so with firstLockout', () => {
    const p = pair();
    for (let n = 1; n <= 5; n++) p.attempt();
    p.later(MINUTE + LOCKOUT_POLICY.memoryMs - 1);
    expect(p.attempt()).toEqual(locks(120));
    p.later(2 * MINUTE + LOCKOUT_POLICY.memoryMs);
    for (let n = 1; n < 5; n++) expect(p.attempt()).toEqual(allowed);
    expect(p.attempt()).toEqual(locks(60, true));
  });

  it('counts failures in a 15-minute window from the first one', () => {
    const p = pair();
    for (let n = 1; n <= 4; n++) p.attempt();
    p.later(15 * MINUTE);
    for (let n = 1; n <= 4; n++) expect(p.attempt()).toEqual(allowed);
    expect(p.attempt()).toEqual(locks(60, true));
  });

  it('starts over after a sign-in', () => {
    const p = pair();
    for (let n = 1; n <= 4; n++) p.attempt();
    p.signIn();
    for (let n = 1; n <= 4; n++) expect(p.attempt()).toEqual(allowed);
    expect(p.attempt()).toEqual(locks(60, true));
  });

  it('keeps a record only as long as it matters', () => {
    const p = pair();
    p.attempt();
    expect(expiresAt(p.record!)).toBe(1_700_000_000_000 + 15 * MINUTE);
    for (let n = 2; n <= 5; n++) p.attempt();
    expect(expiresAt(p.record!)).toBe(1_700_000_000_000 + MINUTE + 24 * HOUR);
  });

  it('caps the delay without overflowing, however many lockouts', () => {
    expect(lockDuration(0)).toBe(MINUTE);
    expect(lockDuration(5)).toBe(32 * MINUTE);
    expect(lockDuration(6)).toBe(HOUR);
    expect(lockDuration(10_000)).toBe(HOUR);
  });
});
