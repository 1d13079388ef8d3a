import { Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { Invalidation, InvalidationBus, InvalidationHandler } from './invalidation.bus';

const CHANNEL = 'latchkey:invalidations';

interface Message extends Invalidation {
  from: string;
}

/**
 * Invalidations shared by every instance through Redis pub/sub. Local caches drop the entry
 * before publish() returns; other instances drop it when the message arrives (sub-millisecond
 * on one network). If Redis is unreachable the change still applies here and the others catch
 * up within their cache TTL; after a reconnect an instance drops everything it cached, since
 * it may have missed messages meanwhile.
 */
export class RedisInvalidationBus extends InvalidationBus implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisInvalidationBus.name);
  private readonly handlers: InvalidationHandler[] = [];
  private readonly instanceId = randomUUID();
  private subscribedOnce = false;

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
    const message: Message = { ...invalidation, from: this.instanceId };
    try {
      await this.publisher.publish(CHANNEL, JSON.stringify(message));
    } catch (error) {
      this.logger.warn(
        `Could not broadcast ${invalidation.target} invalidation; other instances expire it ` +
          `within their cache TTL: ${(error as Error).message}`,
      );
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
    if (message.from !== this.instanceId) this.deliver({ target: message.target, id: message.id });
  }

  private deliver(invalidation: Invalidation): void {
    for (const handler of this.handlers) handler(invalidation);
  }
}
