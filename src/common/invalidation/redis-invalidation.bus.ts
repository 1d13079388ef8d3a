import { Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { Invalidation, InvalidationBus, InvalidationHandler } from './invalidation.bus';

const CHANNEL = 'latchkey:invalidations';

interface Message extends Invalidation {
  from: string;
  seq: number;
}

/** How long publish() waits for its own message to come back through Redis. */
const ECHO_TIMEOUT_MS = 1_000;

/**
 * Invalidations shared by every instance through Redis pub/sub. Local caches drop the entry
 * at once; publish() then waits until its own message comes back through Redis, by which time
 * Redis has handed it to every subscriber, so the other instances have it before the caller's
 * answer is sent (they could still be a few microseconds from processing it). If Redis is unreachable the change still applies here and the others catch
 * up within their cache TTL; after a reconnect an instance drops everything it cached, since
 * it may have missed messages meanwhile.
 */
export class RedisInvalidationBus extends InvalidationBus implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisInvalidationBus.name);
  private readonly handlers: InvalidationHandler[] = [];
  private readonly instanceId = randomUUID();
  private subscribedOnce = false;
  private seq = 0;
  private readonly awaitingEcho = new Map<number, () => void>();

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
  ) {
    super();
  }

  static async connect(url: string): Promise<RedisInvalidationBus> {
    const options = { lazyConnect: true, connectTimeout: 5_000, maxRetriesPerRequest: 1 };
    const bus = new RedisInvalidationBus(
      new Redis(url, { ...options, enableOfflineQueue: false }),
      new Redis(url, options),
    );
    await bus.start();
    return bus;
  }

  private async start(): Promise<void> {
    for (const client of [this.publisher, this.subscriber]) {
      client.on('error', (error: Error) => this.logger.warn(`Redis: ${error.message}`));
    }
    this.subscriber.on('message', (_channel: string, raw: string) => this.receive(raw));
    this.subscriber.on('ready', () => {
      if (this.subscribedOnce) this.deliver({ target: 'all', id: '' });
      this.subscribedOnce = true;
    });
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    await this.subscriber.subscribe(CHANNEL);
  }

  async publish(invalidation: Invalidation): Promise<void> {
    this.deliver(invalidation);
    const message: Message = { ...invalidation, from: this.instanceId, seq: ++this.seq };
    let timer: NodeJS.Timeout | undefined;
    const echoed = new Promise<void>((resolve) => {
      this.awaitingEcho.set(message.seq, resolve);
      timer = setTimeout(resolve, ECHO_TIMEOUT_MS);
    });
    try {
      await this.publisher.publish(CHANNEL, JSON.stringify(message));
      await echoed;
    } catch (error) {
      this.logger.warn(
        `Could not broadcast ${invalidation.target} invalidation; other instances expire it ` +
          `within their cache TTL: ${(error as Error).message}`,
      );
    } finally {
      clearTimeout(timer);
      this.awaitingEcho.delete(message.seq);
    }
  }

  subscribe(handler: InvalidationHandler): void {
    this.handlers.push(handler);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.subscriber.quit(), this.publisher.quit()]);
  }

  private receive(raw: string): void {
    let message: Message;
    try {
      message = JSON.parse(raw) as Message;
    } catch {
      return;
    }
    if (message.from === this.instanceId) this.awaitingEcho.get(message.seq)?.();
    else this.deliver({ target: message.target, id: message.id });
  }

  private deliver(invalidation: Invalidation): void {
    for (const handler of this.handlers) handler(invalidation);
  }
}
