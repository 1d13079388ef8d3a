import { AttemptVerdict } from './lockout-policy';

/** Where the lockout records of (email, address) pairs live: this process, or Redis. */
export abstract class LoginLockoutStore {
  /** One login attempt for `key` at `now` (the app's clock), by the rules of LOCKOUT_POLICY. */
  abstract attempt(key: string, now: number): Promise<AttemptVerdict>;

  /** The pair signed in: its failures and lockouts are forgotten. */
  abstract clear(key: string): Promise<void>;
}
