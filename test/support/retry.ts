/**
 * Calls `attempt` until it returns something other than undefined, at most `attempts` times,
 * `intervalMs` apart; fails naming `what` otherwise. A bound on retries, not on time.
 */
export async function retry<T>(
  what: string,
  attempt: () => T | undefined | Promise<T | undefined>,
  { attempts = 40, intervalMs = 250 }: { attempts?: number; intervalMs?: number } = {},
): Promise<T> {
  for (let n = 1; ; n++) {
    const result = await attempt();
    if (result !== undefined) return result;
    if (n >= attempts) throw new Error(`not after ${attempts} attempts: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
