import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { performance } from 'node:perf_hooks';

/** A slow Redis costs a request at most this much before it is answered locally instead. */
const COMMAND_TIMEOUT_MS = 250;
/** While Redis is failing, one request a second tries it; the others are answered locally. */
const RETRY_AFTER_FAILURE_MS = 1_000;

/** What the warnings say: what happens while Redis is down, and once it is back. */
export interface FailOpenNotes {
  whileDown: string;
  whenBack: string;
}

type ScriptRunner = (key: string, ...args: (string | number)[]) => Promise<unknown>;

/**
 * A Redis connection for counters that must never hold a request up. run() gives a command's
 * answer, or undefined when Redis is down or slow, and the caller then answers from its own
 * memory. No request waits for a reconnect, nor longer than COMMAND_TIMEOUT_MS for an answer;
 * one warning is logged per outage. ioredis reconnects by itself, and the next command after
 * that goes to Redis again. (Pacing runs on the monotonic clock: tests move Date.now().)
 */
export class FailOpenRedis {
  private readonly logger: Logger;
  private down = false;
  private retryAt = 0;

  private constructor(
    private readonly client: Redis,
    owner: string,
    private readonly notes: FailOpenNotes,
  ) {
    this.logger = new Logger(owner);
    client.on('error', (error: Error) => this.markDown(error));
    client.on('ready', () => this.markUp());
  }

  /** Redis must answer at start-up: a misconfigured URL stops the app rather than fail open. */
  static async connect(url: string, owner: string, notes: FailOpenNotes): Promise<FailOpenRedis> {
    const client = new Redis(url, {
      lazyConnect: true,
      connectTimeout: 2_000,
      commandTimeout: COMMAND_TIMEOUT_MS,
      // Never queue a command behind a reconnect: the caller answers locally instead.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      keepAlive: 10_000,
    });
    const redis = new FailOpenRedis(client, owner, notes);
    await client.connect();
    return redis;
  }

  /**
   * A Lua script on one key, atomic in Redis, sent once and then run by its SHA (ioredis sends it
   * again if Redis has forgotten it, after a restart).
   */
  script<R>(name: string, lua: string): (key: string, ...args: (string | number)[]) => Promise<R> {
    this.client.defineCommand(name, { numberOfKeys: 1, lua });
    const run = (this.client as unknown as Record<string, ScriptRunner>)[name].bind(this.client);
    return (key, ...args) => run(key, ...args) as Promise<R>;
  }

  /** The command's answer; undefined when Redis did not give one in time. */
  async run<T>(command: (client: Redis) => Promise<T>): Promise<T | undefined> {
    if (this.client.status !== 'ready' || performance.now() < this.retryAt) return undefined;
    // While down, this command is the one probe: the others are answered locally meanwhile.
    if (this.down) this.retryAt = performance.now() + RETRY_AFTER_FAILURE_MS;
    try {
      const answer = await command(this.client);
      this.markUp();
      return answer;
    } catch (error) {
      this.markDown(error as Error);
      // A Redis that stopped answering but kept the connection (paused, overloaded) would run
      // the timed-out commands later, counting them twice: drop them with the connection.
      if ((error as Error).message.includes('timed out')) this.client.disconnect(true);
      return undefined;
    }
  }

  get up(): boolean {
    return this.client.status === 'ready' && !this.down;
  }

  async quit(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }

  private markDown(error: Error): void {
    this.retryAt = performance.now() + RETRY_AFTER_FAILURE_MS;
    if (this.down) return;
    this.down = true;
    this.logger.warn(`Redis is not answering (${error.message}): ${this.notes.whileDown}`);
  }

  private markUp(): void {
    if (!this.down) return;
    this.down = false;
    this.retryAt = 0;
    this.logger.log(`Redis answers again: ${this.notes.whenBack}`);
  }
}
