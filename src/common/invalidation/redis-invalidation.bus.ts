import { Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { Invalidation, InvalidationBus, InvalidationHandler } from './invalidation.bus';

const CHANNEL = 'latchkey:invalidations';

interface Message extends Invalidation {
  from: string;
  seq: number;
}

/** How long publish() waits, in all, for Redis to take its message and hand it back. */
const ECHO_TIMEOUT_MS = 1_000;
/**
 * The subscription is pinged this often, and its connection dropped when Redis has not answered
 * within the timeout: a connection that died without a word (a partition, a vanished host)
 * would otherwise stay "subscribed" and deliver nothing, for good.
 */
const HEARTBEAT_INTERVAL_MS = 5_000;
const HEARTBEAT_TIMEOUT_MS = 2_000;
/** QUIT waits for Redis's answer, which a dead connection never sends. */
const QUIT_TIMEOUT_MS = 1_000;

async function quit(client: Redis): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), QUIT_TIMEOUT_MS);
  });
  const said = client.quit().catch(() => 'failed' as const);
  if ((await Promise.race([said, late])) !== 'OK') client.disconnect();
  clearTimeout(timer);
}

/**
 * Invalidations shared by every instance through Redis pub/sub. Local caches drop the entry
 * at once; publish() then waits (up to 1 s) until its own message comes back through Redis, by
 * which time Redis has handed it to every subscriber, so the other instances have it before the
 * caller's answer is sent. If Redis cannot take the message the change still stands (it is in
 * PostgreSQL) and applies here, a warning is logged, and the other instances catch up within
 * their cache TTL. An instance whose subscription comes back drops everything it cached, since
 * it may have missed messages meanwhile.
 */
export class RedisInvalidationBus extends InvalidationBus implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisInvalidationBus.name);
  private readonly handlers: InvalidationHandler[] = [];
  private readonly instanceId = randomUUID();
  private subscribed = false;
  private closing = false;
  private heartbeat?: NodeJS.Timeout;
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
      // Every command it sends is answered: a connection silent for that long is dead.
      new Redis(url, { ...options, enableOfflineQueue: false, socketTimeout: ECHO_TIMEOUT_MS }),
      // Subscribed again by hand, so that the caches are dropped once it is in place.
      new Redis(url, { ...options, autoResubscribe: false, socketTimeout: HEARTBEAT_TIMEOUT_MS }),
    );
    await bus.start();
    return bus;
  }

  private async start(): Promise<void> {
    for (const client of [this.publisher, this.subscriber]) {
      client.on('error', (error: Error) => this.logger.warn(`Redis: ${error.message}`));
    }
    this.subscriber.on('message', (_channel: string, raw: string) => this.receive(raw));
    this.subscriber.on('close', () => this.lost());
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    await this.subscriber.subscribe(CHANNEL);
    this.subscribed = true;
    this.subscriber.on('ready', () => void this.resubscribe());
    this.heartbeat = setInterval(() => {
      if (this.subscriber.status === 'ready') this.subscriber.ping().catch(() => undefined);
    }, HEARTBEAT_INTERVAL_MS);
    this.heartbeat.unref();
  }

  async publish(invalidation: Invalidation): Promise<void> {
    this.deliver(invalidation);
    const message: Message = { ...invalidation, from: this.instanceId, seq: ++this.seq };
    const echoed = new Promise<'echoed'>((resolve) =>
      this.awaitingEcho.set(message.seq, () => resolve('echoed')),
    );
    let timer: NodeJS.Timeout | undefined;
    // A Redis that stops answering would otherwise hold the caller's request indefinitely.
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), ECHO_TIMEOUT_MS);
    });
    try {
      const sent = this.publisher.publish(CHANNEL, JSON.stringify(message)).then(() => echoed);
      if ((await Promise.race([sent, deadline])) === 'late') {
        this.logger.warn(
          `Redis did not confirm a ${invalidation.target} invalidation within ` +
            `${ECHO_TIMEOUT_MS} ms; other instances may hold the entry until their cache TTL`,
        );
      }
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
    this.closing = true;
    clearInterval(this.heartbeat);
    await Promise.all([quit(this.subscriber), quit(this.publisher)]);
  }

  private lost(): void {
    if (!this.subscribed || this.closing) return;
    this.subscribed = false;
    this.logger.warn(
      'Lost the invalidation subscription: until it is back, changes made on other instances ' +
        'reach this one only as its cache entries expire',
    );
  }

  /** After the SUBSCRIBE is acknowledged, so that nothing published from then on is missed. */
  private async resubscribe(): Promise<void> {
    try {
      await this.subscriber.subscribe(CHANNEL);
    } catch (error) {
      // The connection failed again; the next 'ready' tries again.
      this.logger.warn(`Could not subscribe to invalidations: ${(error as Error).message}`);
      return;
    }
    this.deliver({ target: 'all', id: '' });
    this.subscribed = true;
    this.logger.log('Invalidation subscription back: dropped every cached key and account');
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
