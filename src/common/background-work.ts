import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';

/** How long shutdown waits for work in flight before the database closes under it. */
const SHUTDOWN_GRACE_MS = 5_000;

/**
 * Work a request starts but does not wait for (so that its answer, and the time it takes, says
 * nothing about the work): failures are logged, never thrown, and shutdown waits for what is in
 * flight before the database closes.
 */
@Injectable()
export class BackgroundWork implements OnApplicationShutdown {
  private readonly logger = new Logger(BackgroundWork.name);
  private readonly running = new Set<Promise<void>>();

  run(what: string, work: () => Promise<void>): void {
    const task: Promise<void> = work()
      .catch((error: unknown) => this.logger.warn(`${what} failed: ${(error as Error).message}`))
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /** Resolves once everything started so far has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  async onApplicationShutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_GRACE_MS)));
    await Promise.race([this.idle(), late]);
    clearTimeout(timer);
  }
}
