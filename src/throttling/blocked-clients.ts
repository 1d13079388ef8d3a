/** Entries past which expired ones are swept on the next block. */
const SWEEP_ABOVE = 10_000;

/**
 * Client addresses refused for too many failed credentials, remembered in this process until
 * their window ends. The guard checks here before it looks at a credential at all, so a blocked
 * client cannot tell a right guess from a wrong one by the answer, nor by its timing.
 */
export class BlockedClients {
  private readonly until = new Map<string, number>();

  block(tracker: string, seconds: number, now = Date.now()): void {
    if (this.until.size >= SWEEP_ABOVE) this.sweep(now);
    this.until.set(tracker, now + seconds * 1000);
  }

  /** Whole seconds until the client may try again; 0 when it is not blocked. */
  secondsLeft(tracker: string, now = Date.now()): number {
    const until = this.until.get(tracker);
    if (until === undefined) return 0;
    if (until <= now) {
      this.until.delete(tracker);
      return 0;
    }
    return Math.ceil((until - now) / 1000);
  }

  private sweep(now: number): void {
    for (const [tracker, until] of this.until) if (until <= now) this.until.delete(tracker);
  }
}
